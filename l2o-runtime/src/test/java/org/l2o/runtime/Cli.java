package org.l2o.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the CLI in-process and captures what it prints. */
final class Cli {

    record Result(int code, String out, String err) {
    }

    static final PluginRegistry PLUGINS = PluginRegistry.discover();

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true), PLUGINS);
        return new Result(code, out.toString(), err.toString());
    }

    private Cli() {
    }
}
