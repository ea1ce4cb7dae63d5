package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.l2o.api.ParameterSpec;
import org.l2o.api.PluginException;
import org.l2o.api.PluginProvider;
import org.l2o.runtime.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code l2o plugins}: lists every discovered plugin; {@code plugins describe ID} shows its parameters. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List discovered plugins by kind.",
        subcommands = PluginsCommand.Describe.class)
public final class PluginsCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Inject
    PluginsCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        PrintWriter out = console.out();
        for (Class<? extends PluginProvider> kind : PluginRegistry.KINDS) {
            List<? extends PluginProvider> all = registry.all(kind);
            out.printf("%s (%d)%n", PluginRegistry.kindName(kind).replaceAll("y$", "ie") + "s", all.size());
            for (PluginProvider p : all) {
                out.printf("  %-22s %-15s %s%n", p.id(), p.version(), p.description());
            }
        }
        out.flush();
        return 0;
    }

    /** {@code l2o plugins describe ID}. */
    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a plugin's parameters.")
    static final class Describe implements Callable<Integer> {
        private final PluginRegistry registry;
        private final Console console;

        @Parameters(paramLabel = "ID", description = "plugin id")
        String id;

        @Inject
        Describe(PluginRegistry registry, Console console) {
            this.registry = registry;
            this.console = console;
        }

        @Override
        public Integer call() {
            List<PluginProvider> found = registry.find(id);
            if (found.isEmpty()) {
                throw new PluginException("unknown plugin '" + id + "' (run 'l2o plugins' for the list)");
            }
            PrintWriter out = console.out();
            for (PluginProvider p : found) {
                out.printf("%s %s (version %s)%n  %s%n  class %s%n", p.kind(), p.id(), p.version(), p.description(),
                        p.getClass().getName());
                // what composes a meta-training run: a trainer's defaults and needs, a policy's offer
                if (p instanceof org.l2o.api.meta.MetaTrainerProvider t) {
                    out.printf("  default policy %s, default features %s, needs a policy that is %s%n",
                            t.defaultPolicy(), t.defaultFeatures(), labels(t.requiredCapabilities()));
                }
                if (p instanceof org.l2o.api.update.PolicyClassProvider c) {
                    out.printf("  capabilities: %s%n", labels(c.capabilities()));
                }
                if (p.parameters().isEmpty()) {
                    out.println("  no parameters");
                }
                for (ParameterSpec s : p.parameters()) {
                    out.printf("  %-20s default %-10s %s; %s%n", s.name(), s.required() ? "(required)" : s.defaultValue(),
                            s.rangeText(), s.description());
                }
            }
            out.flush();
            return 0;
        }

        private static String labels(java.util.Set<org.l2o.api.update.PolicyCapability> capabilities) {
            return String.join(", ", capabilities.stream().map(org.l2o.api.update.PolicyCapability::label).sorted()
                    .toList());
        }
    }
}
