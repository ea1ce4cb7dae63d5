package org.l2o.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.l2o.api.ConfigurationException;

/**
 * What commands see of the outside world: output streams and environment variables. Injected so
 * tests and embedding applications can run commands in-process.
 */
public record Console(PrintWriter out, PrintWriter err, Map<String, String> environment) {

    /** Progress messages of long work: one flushed line each on {@code out}, or nothing when quiet. */
    public java.util.function.Consumer<String> progress(boolean quiet) {
        return quiet ? m -> { } : m -> {
            out.println(m);
            out.flush();
        };
    }

    /** The data directory: {@code --data-dir} when given, else {@code L2O_DATA}, else none. */
    public Optional<Path> dataDirectory(Path flag) {
        if (flag != null) {
            if (!Files.isDirectory(flag)) {
                throw new ConfigurationException("--data-dir " + flag + ": no such directory");
            }
            return Optional.of(flag);
        }
        String env = environment.get("L2O_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isDirectory(p)) {
                throw new ConfigurationException("L2O_DATA=" + env + ": no such directory");
            }
            return Optional.of(p);
        }
        return Optional.empty();
    }
}
