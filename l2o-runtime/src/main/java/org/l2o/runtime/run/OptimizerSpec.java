package org.l2o.runtime.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.LearnedOptimizerFile;

/**
 * An optimizer SPEC as users write it: {@code ID} or {@code ID:key=value,key=value}, e.g.
 * {@code adam:lr=0.01}.
 *
 * @param text       the SPEC as given (used as the optimizer's name in outputs)
 * @param id         the optimizer plugin id
 * @param parameters raw parameters, in order
 */
public record OptimizerSpec(String text, String id, Map<String, String> parameters) {

    public OptimizerSpec {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Id of the pseudo-plugin that loads a learned-optimizer file: {@code learned:FILE.l2o}. */
    public static final String LEARNED = "learned";

    /** Parses a SPEC; the message names the SPEC and the malformed part. */
    public static OptimizerSpec parse(String text) {
        String t = text.strip();
        if (t.startsWith(LEARNED + ":")) {
            String file = t.substring(LEARNED.length() + 1);
            if (file.isBlank()) {
                throw new ConfigurationException("optimizer SPEC '" + text + "': expected learned:FILE.l2o");
            }
            return new OptimizerSpec(t, LEARNED, Map.of("file", file));
        }
        int colon = t.indexOf(':');
        String id = colon < 0 ? t : t.substring(0, colon);
        if (id.isEmpty()) {
            throw new ConfigurationException("optimizer SPEC '" + text + "': missing optimizer id before ':'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0) {
            String last = null;
            for (String part : t.substring(colon + 1).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq < 0 && last != null) {
                    // a list value: hidden=32,32 continues the previous key's value
                    params.put(last, params.get(last) + "," + part.strip());
                    continue;
                }
                if (eq <= 0) {
                    throw new ConfigurationException("optimizer SPEC '" + text + "': expected key=value, got '" + part + "'");
                }
                String key = part.substring(0, eq).strip();
                last = key;
                if (params.put(key, part.substring(eq + 1).strip()) != null) {
                    throw new ConfigurationException("optimizer SPEC '" + text + "': parameter '" + key + "' given twice");
                }
            }
        }
        return new OptimizerSpec(t, id, params);
    }

    /** This SPEC with some parameters replaced or added. */
    public OptimizerSpec with(Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.putAll(overrides);
        StringBuilder s = new StringBuilder(id);
        String sep = ":";
        for (var e : p.entrySet()) {
            s.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return new OptimizerSpec(s.toString(), id, p);
    }

    /** Validates the parameters against the plugin and creates the rule (or loads the learned optimizer). */
    public UpdateRule create(PluginRegistry registry, CreationContext context) {
        if (id.equals(LEARNED)) {
            return LearnedOptimizers.rule(text, LearnedOptimizerFile.read(LearnedOptimizers.locate(parameters.get("file"))),
                    registry, context);
        }
        UpdateRuleProvider p = registry.optimizer(id);
        return p.create(p.configure(parameters), context);
    }
}
