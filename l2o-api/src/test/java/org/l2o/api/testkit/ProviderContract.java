package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.ParameterType;
import org.l2o.api.PluginProvider;

/**
 * Contract every plugin provider satisfies: a kebab-case id, a description, declared parameters
 * with valid defaults, and validation that rejects unknown keys and out-of-range values with a
 * message naming the key and value. Plugin tests extend the kind-specific subclasses.
 */
public abstract class ProviderContract<P extends PluginProvider> {

    /** The provider under test. */
    protected abstract P provider();

    /** Parameters used by the behavioural tests (defaults for the rest). */
    protected Map<String, String> parameters() {
        return Map.of();
    }

    @Test
    void idIsKebabCaseAndDescribed() {
        P p = provider();
        assertTrue(PluginProvider.ID_PATTERN.matcher(p.id()).matches(), "id '" + p.id() + "' is not kebab-case");
        assertFalse(p.description().isBlank(), "description of " + p.id() + " is blank");
        assertFalse(p.kind().isBlank());
    }

    @Test
    void parameterNamesAreUniqueAndDefaultsValid() {
        Set<String> names = new HashSet<>();
        for (ParameterSpec s : provider().parameters()) {
            assertTrue(names.add(s.name()), "parameter '" + s.name() + "' declared twice");
            if (!s.required()) {
                s.parse(provider().owner(), s.defaultValue());
            }
        }
        provider().configure(parameters());
    }

    @Test
    void rejectsUnknownParameter() {
        Map<String, String> raw = new HashMap<>(parameters());
        raw.put("no-such-parameter", "1");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> provider().configure(raw));
        assertTrue(e.getMessage().contains("no-such-parameter"), e.getMessage());
    }

    @Test
    void rejectsInvalidValues() {
        for (ParameterSpec s : provider().parameters()) {
            for (String bad : invalidValues(s)) {
                Map<String, String> raw = new HashMap<>(parameters());
                raw.put(s.name(), bad);
                ConfigurationException e = assertThrows(ConfigurationException.class, () -> provider().configure(raw),
                        "value '" + bad + "' for " + s.name() + " was accepted");
                assertTrue(e.getMessage().contains(s.name()) && e.getMessage().contains(bad), e.getMessage());
            }
        }
    }

    /** Values that violate the declaration of {@code s}. */
    static List<String> invalidValues(ParameterSpec s) {
        return switch (s.type()) {
            case INT, DOUBLE -> {
                List<String> out = new java.util.ArrayList<>(List.of("not-a-number"));
                if (s.min() != Double.NEGATIVE_INFINITY) {
                    out.add(number(s, s.minInclusive() ? s.min() - 1 : s.min()));
                }
                if (s.max() != Double.POSITIVE_INFINITY) {
                    out.add(number(s, s.maxInclusive() ? s.max() + 1 : s.max()));
                }
                if (s.type() == ParameterType.DOUBLE) {
                    out.add("NaN");
                }
                yield out;
            }
            case BOOLEAN -> List.of("maybe");
            case CHOICE -> List.of("no-such-choice");
            case INT_LIST -> List.of("1,x");
            case STRING -> List.of();
        };
    }

    private static String number(ParameterSpec s, double v) {
        return s.type() == ParameterType.INT ? Long.toString((long) Math.floor(v)) : Double.toString(v);
    }

    /** Asserts that no two providers share an id. */
    public static void assertUniqueIds(List<? extends PluginProvider> providers) {
        Map<String, String> seen = new HashMap<>();
        for (PluginProvider p : providers) {
            String prior = seen.put(p.kind() + ":" + p.id(), p.getClass().getName());
            assertEquals(null, prior, "id '" + p.id() + "' of kind " + p.kind() + " is declared by " + prior
                    + " and " + p.getClass().getName());
        }
    }
}
