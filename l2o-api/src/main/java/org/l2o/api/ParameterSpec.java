package org.l2o.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One parameter a plugin declares: name, type, default and valid range. Immutable; the
 * {@code with...} methods return modified copies so declarations read as one expression:
 * {@code ParameterSpec.real("lr", 1e-3, "step size").positive()}.
 *
 * @param name         kebab-case key, e.g. {@code lr} or {@code eval-samples}
 * @param type         value type
 * @param defaultValue default in its textual form; {@code null} marks a required parameter
 * @param min          lower bound for numbers ({@code -inf} when unbounded)
 * @param max          upper bound for numbers ({@code +inf} when unbounded)
 * @param minInclusive whether {@code min} itself is allowed
 * @param maxInclusive whether {@code max} itself is allowed
 * @param choices      allowed words of a {@link ParameterType#CHOICE}, empty otherwise
 * @param description  one line for {@code l2o plugins describe}
 */
public record ParameterSpec(String name, ParameterType type, String defaultValue, double min, double max,
                            boolean minInclusive, boolean maxInclusive, List<String> choices,
                            String description) {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!KEY.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not kebab-case");
        }
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("parameter '" + name + "': invalid range [" + min + ", " + max + "]");
        }
        choices = List.copyOf(choices);
        if (type == ParameterType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter '" + name + "' declares no choices");
        }
    }

    private static ParameterSpec of(String name, ParameterType type, String def, String description) {
        return new ParameterSpec(name, type, def, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                true, true, List.of(), description);
    }

    /** A double parameter. */
    public static ParameterSpec real(String name, double defaultValue, String description) {
        return of(name, ParameterType.DOUBLE, Double.toString(defaultValue), description);
    }

    /** An integer parameter. */
    public static ParameterSpec integer(String name, long defaultValue, String description) {
        return of(name, ParameterType.INT, Long.toString(defaultValue), description);
    }

    /** A boolean parameter. */
    public static ParameterSpec flag(String name, boolean defaultValue, String description) {
        return of(name, ParameterType.BOOLEAN, Boolean.toString(defaultValue), description);
    }

    /** A text parameter; {@code defaultValue} may be {@code null} to make it required. */
    public static ParameterSpec text(String name, String defaultValue, String description) {
        return of(name, ParameterType.STRING, defaultValue, description);
    }

    /** An integer-list parameter such as layer sizes. */
    public static ParameterSpec intList(String name, String defaultValue, String description) {
        return of(name, ParameterType.INT_LIST, defaultValue, description);
    }

    /** A parameter that takes one of {@code choices}; the first is the default. */
    public static ParameterSpec choice(String name, List<String> choices, String description) {
        return new ParameterSpec(name, ParameterType.CHOICE, choices.get(0), Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, true, true, choices, description);
    }

    /** Copy with the inclusive range {@code [lo, hi]}. */
    public ParameterSpec range(double lo, double hi) {
        return new ParameterSpec(name, type, defaultValue, lo, hi, true, true, choices, description);
    }

    /** Copy restricted to values strictly above zero. */
    public ParameterSpec positive() {
        return new ParameterSpec(name, type, defaultValue, 0, max, false, maxInclusive, choices, description);
    }

    /** Copy restricted to values at or above zero. */
    public ParameterSpec nonNegative() {
        return new ParameterSpec(name, type, defaultValue, 0, max, true, maxInclusive, choices, description);
    }

    /** Copy restricted to the half-open unit interval {@code [0, 1)}, as momentum coefficients are. */
    public ParameterSpec unitInterval() {
        return new ParameterSpec(name, type, defaultValue, 0, 1, true, false, choices, description);
    }

    /** Copy with another default. */
    public ParameterSpec withDefault(String value) {
        return new ParameterSpec(name, type, value, min, max, minInclusive, maxInclusive, choices, description);
    }

    /** Whether the parameter has no default and must be given. */
    public boolean required() {
        return defaultValue == null;
    }

    /** The valid range or choices in words, for help texts and error messages. */
    public String rangeText() {
        return switch (type) {
            case CHOICE -> "one of " + String.join(", ", choices);
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            case INT_LIST -> "comma-separated integers >= 0";
            case INT, DOUBLE -> {
                boolean lo = min != Double.NEGATIVE_INFINITY;
                boolean hi = max != Double.POSITIVE_INFINITY;
                String kind = type == ParameterType.INT ? "an integer" : "a number";
                if (!lo && !hi) {
                    yield kind;
                }
                if (lo && !hi) {
                    yield kind + (minInclusive ? " >= " : " > ") + fmt(min);
                }
                if (!lo) {
                    yield kind + (maxInclusive ? " <= " : " < ") + fmt(max);
                }
                yield kind + " in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
            }
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Parses and validates one raw value.
     *
     * @param owner who declares the parameter, for the message (e.g. {@code optimizer 'adam'})
     * @return a {@link Long}, {@link Double}, {@link Boolean}, {@link String} or {@code List<Integer>}
     * @throws ConfigurationException naming the owner, key and raw value when it is invalid
     */
    public Object parse(String owner, String raw) {
        Objects.requireNonNull(raw, "raw");
        String v = raw.strip();
        return switch (type) {
            case INT -> {
                long x;
                try {
                    x = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw invalid(owner, raw, "expected " + rangeText());
                }
                checkRange(owner, raw, x);
                yield x;
            }
            case DOUBLE -> {
                double x;
                try {
                    x = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw invalid(owner, raw, "expected " + rangeText());
                }
                if (!Double.isFinite(x)) {
                    throw invalid(owner, raw, "expected a finite number");
                }
                checkRange(owner, raw, x);
                yield x;
            }
            case BOOLEAN -> {
                String s = v.toLowerCase(Locale.ROOT);
                if (!s.equals("true") && !s.equals("false")) {
                    throw invalid(owner, raw, "expected true or false");
                }
                yield Boolean.parseBoolean(s);
            }
            case STRING -> {
                if (v.isEmpty()) {
                    throw invalid(owner, raw, "expected a non-empty value");
                }
                yield v;
            }
            case CHOICE -> {
                if (!choices.contains(v)) {
                    throw invalid(owner, raw, "expected " + rangeText());
                }
                yield v;
            }
            case INT_LIST -> {
                List<Integer> out = new ArrayList<>();
                if (!v.isEmpty()) {
                    for (String part : v.split(",", -1)) {
                        try {
                            int x = Integer.parseInt(part.strip());
                            if (x < 0) {
                                throw new NumberFormatException();
                            }
                            out.add(x);
                        } catch (NumberFormatException e) {
                            throw invalid(owner, raw, "expected " + rangeText());
                        }
                    }
                }
                yield List.copyOf(out);
            }
        };
    }

    private void checkRange(String owner, String raw, double x) {
        boolean ok = (minInclusive ? x >= min : x > min) && (maxInclusive ? x <= max : x < max);
        if (!ok) {
            throw invalid(owner, raw, "expected " + rangeText());
        }
    }

    private ConfigurationException invalid(String owner, String raw, String expected) {
        return new ConfigurationException(owner + ": invalid value '" + raw + "' for parameter '" + name + "': " + expected);
    }
}
