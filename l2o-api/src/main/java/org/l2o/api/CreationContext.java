package org.l2o.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runtime hands a provider when it creates a plugin.
 *
 * @param dataDirectory where datasets are looked up (from {@code --data-dir} or {@code L2O_DATA});
 *                      empty when neither is set, in which case plugins fall back to embedded data
 * @param seed          root seed of the run; plugins derive child seeds with {@link Seeds}
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record CreationContext(Optional<Path> dataDirectory, long seed) {

    public CreationContext {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** A context with no data directory and seed 0, for tests and embedding. */
    public static CreationContext defaults() {
        return new CreationContext(Optional.empty(), 0L);
    }
}
