package org.l2o.runtime.experiment;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;

/**
 * An experiment's settings as data: a JSON preset shipped with l2o (one per experiment and size,
 * e.g. {@code li-malik-2017-quick.json} beside this class), with the top-level keys of a user's
 * file ({@code experiment --settings FILE}) replacing the preset's. Every read names the file and
 * the key that is missing or of the wrong type; a user's key the preset does not have is refused.
 * Immutable.
 */
public final class SettingsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;
    private final String source;

    private SettingsFile(ObjectNode root, String source) {
        this.root = root;
        this.source = source;
    }

    /** The preset {@code name}.json, with {@code override}'s keys in place of its own. */
    public static SettingsFile of(String name, Optional<Path> override) {
        ObjectNode preset;
        try (InputStream in = SettingsFile.class.getResourceAsStream(name + ".json")) {
            if (in == null) {
                throw new ConfigurationException("no settings preset '" + name + "'");
            }
            preset = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the settings preset " + name + ".json", e);
        }
        String source = name + ".json";
        if (override.isPresent()) {
            Path file = override.get();
            JsonNode user;
            try {
                user = JSON.readTree(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new DataFormatException(file + ": no such settings file");
            } catch (JacksonException e) {
                throw new DataFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new DataFormatException(file + ": cannot read: " + e.getMessage());
            }
            if (!(user instanceof ObjectNode u)) {
                throw new DataFormatException(file + ": expected a JSON object of settings");
            }
            Iterator<String> keys = u.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (!preset.has(key)) {
                    List<String> known = new ArrayList<>();
                    preset.fieldNames().forEachRemaining(known::add);
                    throw new ConfigurationException(file + ": unknown setting '" + key + "' (known: "
                            + String.join(", ", new TreeSet<>(known)) + ")");
                }
                preset.set(key, u.get(key));
            }
            source = file + " over " + name + ".json";
        }
        return new SettingsFile(preset, source);
    }

    /** Whether the setting is present (optional settings). */
    public boolean has(String key) {
        return root.has(key) && !root.get(key).isNull();
    }

    private JsonNode field(String key) {
        JsonNode n = root.get(key);
        if (n == null) {
            throw new ConfigurationException(source + ": setting '" + key + "' is missing");
        }
        return n;
    }

    private ConfigurationException wrong(String key, String expected) {
        return new ConfigurationException(source + ": setting '" + key + "' = " + root.get(key) + ", expected "
                + expected);
    }

    public int integer(String key) {
        JsonNode n = field(key);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw wrong(key, "an integer");
        }
        return n.intValue();
    }

    /** A positive integer. */
    public int positive(String key) {
        int v = integer(key);
        if (v <= 0) {
            throw wrong(key, "a positive integer");
        }
        return v;
    }

    public double number(String key) {
        JsonNode n = field(key);
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw wrong(key, "a finite number");
        }
        return n.doubleValue();
    }

    public String text(String key) {
        JsonNode n = field(key);
        if (!n.isTextual()) {
            throw wrong(key, "a string");
        }
        return n.textValue();
    }

    public List<String> texts(String key) {
        return texts(key, field(key));
    }

    private List<String> texts(String key, JsonNode n) {
        if (!n.isArray()) {
            throw wrong(key, "an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw wrong(key, "an array of strings");
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    /** String values by name in file order, or null where the setting is JSON null. */
    public Map<String, String> strings(String key) {
        JsonNode n = field(key);
        if (n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrong(key, "an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw wrong(key, "an object of string values");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Arrays of strings by name, in file order. */
    public Map<String, List<String>> lists(String key) {
        JsonNode n = field(key);
        if (!n.isObject()) {
            throw wrong(key, "an object of string arrays");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), texts(key, e.getValue())));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The object under {@code key} as its own settings view. */
    public SettingsFile object(String key) {
        JsonNode n = field(key);
        if (!(n instanceof ObjectNode o)) {
            throw wrong(key, "an object");
        }
        return new SettingsFile(o, source + ", " + key);
    }

    /** The array of objects under {@code key}, each as its own settings view. */
    public List<SettingsFile> objects(String key) {
        JsonNode n = field(key);
        if (!n.isArray()) {
            throw wrong(key, "an array of objects");
        }
        List<SettingsFile> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : n) {
            if (!(e instanceof ObjectNode o)) {
                throw wrong(key, "an array of objects");
            }
            out.add(new SettingsFile(o, source + ", " + key + "[" + i++ + "]"));
        }
        return out;
    }
}
