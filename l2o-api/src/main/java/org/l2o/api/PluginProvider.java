package org.l2o.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What every plugin provider declares: a cheap descriptor, discovered by {@link java.util.ServiceLoader}
 * in the runtime. Implementations must have a public no-argument constructor, be stateless and
 * thread-safe, and do no work before {@code create}.
 */
public interface PluginProvider {

    /** The pattern every id follows: lower-case kebab-case. */
    Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Unique kebab-case id within the plugin kind, e.g. {@code adam}. */
    String id();

    /** One line saying what the plugin is. */
    String description();

    /** Version of the plugin; by default that of its module or jar, or {@code dev} in a source tree. */
    default String version() {
        return Versions.of(getClass());
    }

    /** Declared parameters with defaults and ranges. */
    List<ParameterSpec> parameters();

    /** What the plugin is called in messages, e.g. {@code optimizer 'adam'}. */
    default String owner() {
        return kind() + " '" + id() + "'";
    }

    /** The plugin kind in words, e.g. {@code optimizer}. */
    String kind();

    /** Validates raw parameters against {@link #parameters()}. */
    default Config configure(java.util.Map<String, String> raw) {
        return Config.validate(owner(), parameters(), raw);
    }
}
