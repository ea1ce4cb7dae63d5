package org.l2o.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A validated configuration of one plugin: every declared parameter has a value of its type,
 * within its range, and no undeclared key is present. Immutable and thread-safe.
 *
 * @param owner  who the configuration is for, e.g. {@code optimizer 'adam'}; used in messages
 * @param values parsed values by parameter name, in declaration order
 * @param text   the same values in canonical text form (for provenance and file names)
 */
public record Config(String owner, Map<String, Object> values, Map<String, String> text) {

    public Config {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        text = Collections.unmodifiableMap(new LinkedHashMap<>(text));
    }

    /**
     * Validates raw key/value pairs against declared parameters, filling in defaults.
     *
     * @throws ConfigurationException for an unknown key (listing the known ones), a missing
     *                                required value, or an invalid value
     */
    public static Config validate(String owner, List<ParameterSpec> specs, Map<String, String> raw) {
        Objects.requireNonNull(raw, "raw");
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            byName.put(s.name(), s);
        }
        for (String key : raw.keySet()) {
            if (!byName.containsKey(key)) {
                String known = byName.isEmpty() ? "it declares no parameters"
                        : "known: " + String.join(", ", new TreeSet<>(byName.keySet()));
                throw new ConfigurationException(owner + ": unknown parameter '" + key + "' (" + known + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            String v = raw.containsKey(s.name()) ? raw.get(s.name()) : s.defaultValue();
            if (v == null) {
                throw new ConfigurationException(owner + ": missing required parameter '" + s.name() + "' ("
                        + s.description() + ")");
            }
            Object parsed = s.parse(owner, v);
            values.put(s.name(), parsed);
            text.put(s.name(), canonical(parsed));
        }
        return new Config(owner, values, text);
    }

    /** A configuration with no parameters. */
    public static Config empty(String owner) {
        return new Config(owner, Map.of(), Map.of());
    }

    private static String canonical(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(v);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new ConfigurationException(owner + ": no parameter '" + name + "' is declared");
        }
        return v;
    }

    public double getDouble(String name) {
        Object v = get(name);
        return v instanceof Long l ? l.doubleValue() : (Double) v;
    }

    public long getLong(String name) {
        return (Long) get(name);
    }

    /** An INT parameter as {@code int}; the value must fit. */
    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String name) {
        return (List<Integer>) get(name);
    }
}
