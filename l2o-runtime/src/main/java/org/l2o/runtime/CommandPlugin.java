package org.l2o.runtime;

/**
 * A subcommand of the {@code l2o} command line contributed by another module, found through
 * {@link java.util.ServiceLoader} like the plugins: a picocli {@code @Command} class that the
 * runtime creates through Guice, so its constructor can {@code @Inject} the {@link PluginRegistry}
 * and the {@code Console}. Exit codes follow {@link Main}: an {@code L2oException} is one line and
 * exit 2. The module declares it with {@code provides org.l2o.runtime.CommandPlugin} (and in
 * {@code META-INF/services} for the class path) and opens the command's package to picocli.
 */
public interface CommandPlugin {

    /** The picocli command class. */
    Class<?> command();
}
