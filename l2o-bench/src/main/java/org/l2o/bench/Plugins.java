package org.l2o.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;

/** Plugin lookup for benchmarks, which run without the runtime's Guice registry. */
final class Plugins {

    private Plugins() {
    }

    static <P extends PluginProvider> P find(Class<P> type, String id) {
        // policy classes of every capability are served as one service
        Class<? extends PluginProvider> service = org.l2o.api.update.PolicyClassProvider.class.isAssignableFrom(type)
                ? org.l2o.api.update.PolicyClassProvider.class : type;
        for (PluginProvider p : ServiceLoader.load(service)) {
            if (p.id().equals(id) && type.isInstance(p)) {
                return type.cast(p);
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " with id '" + id + "' on the class path");
    }

    /** {@code a=1,b=2} to an ordered map. */
    static Map<String, String> params(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!text.isEmpty()) {
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                map.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return map;
    }

    /** An update rule from {@code id} and {@code a=1,b=2}. */
    static UpdateRule rule(String id, String params) {
        UpdateRuleProvider p = find(UpdateRuleProvider.class, id);
        return p.create(p.configure(params(params)), CreationContext.defaults());
    }
}
