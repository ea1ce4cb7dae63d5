package org.l2o.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginException;
import org.l2o.api.PluginProvider;
import org.l2o.api.backend.BackendProvider;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyClassProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;
import org.l2o.runtime.run.OptimizerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All plugins known to a runtime, by kind and id. Built by {@link #discover()} through
 * {@link ServiceLoader} (the only place l2o uses it), or explicitly with {@link #of} by tests and
 * applications that switch discovery off. Duplicate ids within a kind are rejected. Immutable and
 * thread-safe.
 */
public final class PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /** The plugin kinds and their service interfaces, in display order. */
    public static final List<Class<? extends PluginProvider>> KINDS = List.of(ObjectiveProvider.class,
            UpdateRuleProvider.class, FeatureMapProvider.class, PolicyClassProvider.class, MetaTrainerProvider.class,
            BackendProvider.class);

    private final Map<Class<? extends PluginProvider>, Map<String, PluginProvider>> byKind;

    private PluginRegistry(Map<Class<? extends PluginProvider>, Map<String, PluginProvider>> byKind) {
        this.byKind = byKind;
    }

    /** Discovers every provider on the class path or module path. */
    public static PluginRegistry discover() {
        List<PluginProvider> all = new ArrayList<>();
        for (Class<? extends PluginProvider> kind : KINDS) {
            try {
                for (PluginProvider p : ServiceLoader.load(kind, PluginRegistry.class.getClassLoader())) {
                    LOG.debug("found {} {} {} in {}", p.kind(), p.id(), p.version(),
                            p.getClass().getProtectionDomain().getCodeSource());
                    all.add(p);
                }
            } catch (java.util.ServiceConfigurationError e) {
                throw new PluginException("cannot load " + kind.getSimpleName() + " plugins: " + e.getMessage(), e);
            }
        }
        return of(all);
    }

    /** The subcommands other modules contribute to the command line, in a stable (class name) order. */
    public static List<CommandPlugin> commands() {
        List<CommandPlugin> found = new ArrayList<>();
        try {
            for (CommandPlugin c : ServiceLoader.load(CommandPlugin.class, PluginRegistry.class.getClassLoader())) {
                found.add(c);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new PluginException("cannot load command plugins: " + e.getMessage(), e);
        }
        found.sort(java.util.Comparator.comparing(c -> c.command().getName()));
        return found;
    }

    /**
     * The distributed engine that {@code --cluster} uses: the one installed {@link
     * org.l2o.runtime.remote.ClusterProvider}, or an error saying that none (or several) is there.
     */
    public static org.l2o.runtime.remote.ClusterProvider cluster() {
        List<org.l2o.runtime.remote.ClusterProvider> found = new ArrayList<>();
        try {
            for (var c : ServiceLoader.load(org.l2o.runtime.remote.ClusterProvider.class,
                    PluginRegistry.class.getClassLoader())) {
                found.add(c);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new PluginException("cannot load the cluster module: " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new PluginException("--cluster needs exactly one cluster module (l2o-cluster), found " + found.size());
        }
        return found.get(0);
    }

    /** A registry of exactly these providers. */
    public static PluginRegistry of(List<? extends PluginProvider> providers) {
        Map<Class<? extends PluginProvider>, Map<String, PluginProvider>> byKind = new LinkedHashMap<>();
        for (Class<? extends PluginProvider> kind : KINDS) {
            byKind.put(kind, new TreeMap<>());
        }
        for (PluginProvider p : providers) {
            Class<? extends PluginProvider> kind = KINDS.stream().filter(k -> k.isInstance(p)).findFirst()
                    .orElseThrow(() -> new PluginException(p.getClass().getName() + " implements no known plugin kind"));
            if (!PluginProvider.ID_PATTERN.matcher(p.id()).matches()) {
                throw new PluginException(p.kind() + " id '" + p.id() + "' of " + p.getClass().getName()
                        + " is not kebab-case");
            }
            PluginProvider prior = byKind.get(kind).putIfAbsent(p.id(), p);
            if (prior != null) {
                throw new PluginException("duplicate " + p.kind() + " id '" + p.id() + "': " + prior.getClass().getName()
                        + " and " + p.getClass().getName());
            }
        }
        byKind.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new PluginRegistry(Collections.unmodifiableMap(byKind));
    }

    /** Providers of one kind, sorted by id. */
    @SuppressWarnings("unchecked")
    public <P extends PluginProvider> List<P> all(Class<P> kind) {
        return List.copyOf((java.util.Collection<P>) byKind.getOrDefault(kind, Map.of()).values());
    }

    /** Every provider of every kind. */
    public List<PluginProvider> all() {
        return byKind.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** The provider of {@code kind} with {@code id}; the message lists the known ids when there is none. */
    public <P extends PluginProvider> P get(Class<P> kind, String id) {
        PluginProvider p = byKind.getOrDefault(kind, Map.of()).get(id);
        if (p == null) {
            Map<String, PluginProvider> known = byKind.getOrDefault(kind, Map.of());
            throw new PluginException("unknown " + kindName(kind) + " '" + id + "' (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known.keySet())) + ")");
        }
        return kind.cast(p);
    }

    /** Whether a provider of {@code kind} with {@code id} is registered. */
    public boolean has(Class<? extends PluginProvider> kind, String id) {
        return byKind.getOrDefault(kind, Map.of()).containsKey(id);
    }

    /** Finds a provider of any kind by id (for {@code plugins describe}). */
    public List<PluginProvider> find(String id) {
        return all().stream().filter(p -> p.id().equals(id)).toList();
    }

    /** A policy class, whatever its capabilities, by id. */
    public PolicyClassProvider policyClass(String id) {
        return get(PolicyClassProvider.class, id);
    }

    public ObjectiveProvider objective(String id) {
        return get(ObjectiveProvider.class, id);
    }

    public UpdateRuleProvider optimizer(String id) {
        return get(UpdateRuleProvider.class, id);
    }

    /**
     * The optimizer a SPEC names, as {@code l2o evaluate --optimizer} reads it: {@code ID},
     * {@code ID:key=value,...} or {@code learned:FILE.l2o} (or the name of a shipped pretrained
     * optimizer). For applications that embed l2o; the message of a bad SPEC names what is wrong.
     *
     * @throws org.l2o.api.L2oException for an unknown id, a bad parameter or an unreadable learned file
     */
    public UpdateRule createOptimizer(String spec, CreationContext context) {
        return OptimizerSpec.parse(spec).create(this, context);
    }

    /** The word for a kind in messages. */
    public static String kindName(Class<? extends PluginProvider> kind) {
        if (kind == ObjectiveProvider.class) {
            return "objective";
        }
        if (kind == UpdateRuleProvider.class) {
            return "optimizer";
        }
        if (kind == FeatureMapProvider.class) {
            return "feature-map";
        }
        if (kind == PolicyClassProvider.class) {
            return "policy";
        }
        if (kind == MetaTrainerProvider.class) {
            return "trainer";
        }
        return "backend";
    }
}
