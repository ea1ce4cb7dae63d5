package org.l2o.runtime;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.l2o.api.L2oException;
import org.l2o.runtime.cli.Console;
import org.l2o.runtime.cli.L2oCommand;
import picocli.CommandLine;

/**
 * The {@code l2o} command line. Exit codes: 0 on success, 2 for invalid input (unknown plugin,
 * bad parameter, missing or corrupt data, unusable output folder) with one line naming what is
 * wrong, 1 for anything unexpected.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = run(args, System.getenv(), out, err, PluginRegistry.discover());
        } catch (L2oException e) {
            err.println("l2o: error: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** Runs one command in-process with the given streams, environment and plugins; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err,
                          PluginRegistry registry) {
        Console console = new Console(out, err, Map.copyOf(environment));
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(PluginRegistry.class).toInstance(registry);
                bind(Console.class).toInstance(console);
            }
        });
        GuiceFactory factory = new GuiceFactory(injector);
        CommandLine cli = new CommandLine(L2oCommand.class, factory);
        for (CommandPlugin plugin : PluginRegistry.commands()) {
            cli.addSubcommand(new CommandLine(plugin.command(), factory));
        }
        // An argument file can hold defaults that later flags override (CLI flags > file).
        cli.setOverwrittenOptionsAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof L2oException) {
                err.println("l2o: error: " + e.getMessage());
                err.flush();
                return 2;
            }
            if (e instanceof UncheckedIOException io) {
                err.println("l2o: error: " + io.getMessage() + ": " + io.getCause().getMessage());
                err.flush();
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("l2o: error: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // on any thread: rollouts rethrow a worker thread's error on the caller's
            err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
            err.flush();
            return 1;
        }
    }

    /** What a run that filled the Java heap prints: how big the heap was and how to give it more. */
    static String outOfMemory(long maxHeap) {
        return String.format(java.util.Locale.ROOT, "l2o: error: out of memory: the Java heap (%d MiB) is full; give "
                + "the JVM more with L2O_JAVA_OPTS (for example L2O_JAVA_OPTS=-Xmx12g; the launcher's default is "
                + "-Xmx4g) or make the run smaller", maxHeap >> 20);
    }

    /** Lets picocli create commands through Guice, so they get their collaborators injected. */
    private record GuiceFactory(Injector injector) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return injector.getInstance(type);
            } catch (com.google.inject.ConfigurationException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
