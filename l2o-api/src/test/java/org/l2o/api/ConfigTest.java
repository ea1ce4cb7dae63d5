package org.l2o.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.real("lr", 1e-3, "step size").positive(),
            ParameterSpec.integer("steps", 10, "steps").range(1, 100),
            ParameterSpec.flag("fast", false, "fast"),
            ParameterSpec.choice("act", List.of("relu", "tanh"), "activation"),
            ParameterSpec.intList("hidden", "48", "layers"),
            ParameterSpec.text("name", null, "required name"));

    @Test
    void fillsDefaultsAndParsesTypes() {
        Config c = Config.validate("optimizer 'x'", SPECS, Map.of("name", "n", "hidden", "100, 200", "steps", "7"));
        assertEquals(1e-3, c.getDouble("lr"));
        assertEquals(7, c.getInt("steps"));
        assertEquals(false, c.getBoolean("fast"));
        assertEquals("relu", c.getString("act"));
        assertEquals(List.of(100, 200), c.getIntList("hidden"));
        assertEquals("100,200", c.text().get("hidden"));
    }

    @Test
    void messagesNameOwnerKeyAndValue() {
        var e = assertThrows(ConfigurationException.class,
                () -> Config.validate("optimizer 'x'", SPECS, Map.of("name", "n", "lr", "-1")));
        assertTrue(e.getMessage().contains("optimizer 'x'") && e.getMessage().contains("'lr'")
                && e.getMessage().contains("'-1'") && e.getMessage().contains("> 0"), e.getMessage());
        var unknown = assertThrows(ConfigurationException.class,
                () -> Config.validate("o", SPECS, Map.of("name", "n", "lrr", "1")));
        assertTrue(unknown.getMessage().contains("'lrr'") && unknown.getMessage().contains("known: act, fast"),
                unknown.getMessage());
        var missing = assertThrows(ConfigurationException.class, () -> Config.validate("o", SPECS, Map.of()));
        assertTrue(missing.getMessage().contains("missing required parameter 'name'"), missing.getMessage());
    }

    @Test
    void rejectsEachKindOfBadValue() {
        for (var bad : List.of(Map.of("steps", "0"), Map.of("steps", "101"), Map.of("steps", "1.5"),
                Map.of("lr", "NaN"), Map.of("lr", "Infinity"), Map.of("fast", "yes"), Map.of("act", "elu"),
                Map.of("hidden", "1,-2"), Map.of("hidden", "1,,2"))) {
            var raw = new java.util.HashMap<>(bad);
            raw.put("name", "n");
            assertThrows(ConfigurationException.class, () -> Config.validate("o", SPECS, raw), bad.toString());
        }
    }

    @Test
    void rangeTextDescribesBounds() {
        assertEquals("a number > 0", SPECS.get(0).rangeText());
        assertEquals("an integer in [1, 100]", SPECS.get(1).rangeText());
        assertEquals("a number in [0, 1)", ParameterSpec.real("m", 0.9, "m").unitInterval().rangeText());
    }

    @Test
    void childSeedsAreDistinctAndStable() {
        assertEquals(Seeds.child(1, "a", 0), Seeds.child(1, "a", 0));
        assertNotEquals(Seeds.child(1, "a", 0), Seeds.child(1, "a", 1));
        assertNotEquals(Seeds.child(1, "a", 0), Seeds.child(1, "b", 0));
        assertNotEquals(Seeds.child(1, "a", 0), Seeds.child(2, "a", 0));
        assertEquals(Seeds.generator(5).nextLong(), Seeds.generator(5).nextLong());
    }
}
