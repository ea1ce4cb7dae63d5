package org.l2o.runtime.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.l2o.api.DataFormatException;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.Provenance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The learned-optimizer file ({@code .l2o}): a zip archive holding {@code l2o-learned.json} (format
 * name and version, policy class and feature map with their parameters, input and action sizes,
 * the shape and file of every weight array, provenance) and one {@code weights/NAME.f64} per
 * array, raw little-endian float64 in row-major order. Nothing in it is Java-serialised: loading
 * reads JSON and numbers only, and checks the format, version, sizes and finiteness.
 */
public final class LearnedOptimizerFile {

    /** Format name in the JSON. */
    public static final String FORMAT = "l2o-learned-optimizer";
    /** Newest format version this code reads and the one it writes. */
    public static final int VERSION = 1;

    private static final String MANIFEST = "l2o-learned.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LearnedOptimizerFile() {
    }

    /** Writes {@code optimizer} to {@code file} atomically (temporary file, then rename). */
    public static void write(Path file, LearnedOptimizer optimizer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                ObjectNode root = JSON.createObjectNode();
                root.put("format", FORMAT);
                root.put("version", VERSION);
                ObjectNode policy = root.putObject("policy");
                policy.put("id", optimizer.policyClass());
                policy.set("parameters", JSON.valueToTree(new java.util.TreeMap<>(optimizer.policyParameters())));
                ObjectNode features = root.putObject("featureMap");
                features.put("id", optimizer.featureMap());
                features.set("parameters", JSON.valueToTree(new java.util.TreeMap<>(optimizer.featureParameters())));
                root.put("inputSize", optimizer.inputSize());
                root.put("actionSize", optimizer.actionSize());
                ObjectNode weights = root.putObject("weights");
                for (var e : new java.util.TreeMap<>(optimizer.weights()).entrySet()) {
                    String name = e.getKey();
                    if (!name.matches("[a-zA-Z0-9_.-]+")) {
                        throw new IllegalArgumentException("weight name '" + name + "' is not a plain file name");
                    }
                    INDArray a = e.getValue();
                    ObjectNode w = weights.putObject(name);
                    w.put("file", "weights/" + name + ".f64");
                    w.set("shape", JSON.valueToTree(a.shape()));
                    double[] values = a.dup('c').data().asDouble();
                    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    for (double v : values) {
                        buf.putDouble(v);
                    }
                    zip.putNextEntry(new ZipEntry("weights/" + name + ".f64"));
                    zip.write(buf.array());
                    zip.closeEntry();
                }
                root.set("provenance", provenance(optimizer.provenance()));
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writeValueAsBytes(root));
                zip.closeEntry();
            }
            StagedOutput.writeAtomically(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ObjectNode provenance(Provenance p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("trainer", p.trainer());
        n.set("trainerParameters", JSON.valueToTree(new java.util.TreeMap<>(p.trainerParameters())));
        n.put("objective", p.objective());
        n.set("objectiveParameters", JSON.valueToTree(new java.util.TreeMap<>(p.objectiveParameters())));
        n.put("trainObjectives", p.trainObjectives());
        n.put("steps", p.steps());
        n.put("seed", p.seed());
        n.put("l2oVersion", p.l2oVersion());
        n.put("javaVersion", p.javaVersion());
        n.put("created", p.created().toString());
        if (!p.history().isEmpty()) {
            n.set("history", JSON.valueToTree(p.history()));
        }
        n.set("environment", JSON.valueToTree(new java.util.TreeMap<>(p.environment())));
        if (!p.budget().isEmpty()) {
            n.set("budget", JSON.valueToTree(new java.util.TreeMap<>(p.budget())));
        }
        return n;
    }

    /** The optional provenance history: an array of strings (absent in files of uninterrupted runs). */
    private static java.util.List<String> history(Path file, JsonNode p) {
        JsonNode h = p.get("history");
        if (h == null) {
            return java.util.List.of();
        }
        if (!h.isArray()) {
            throw bad(file, "provenance.history is not an array");
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (JsonNode line : h) {
            if (!line.isTextual()) {
                throw bad(file, "provenance.history holds a non-text entry: " + line);
            }
            lines.add(line.asText());
        }
        return lines;
    }

    /** Reads and validates a learned-optimizer file; every problem names the file and the field. */
    public static LearnedOptimizer read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifest = zip.getEntry(MANIFEST);
            if (manifest == null) {
                throw bad(file, "no " + MANIFEST + " inside: not an l2o learned-optimizer file");
            }
            JsonNode root;
            try (InputStream in = zip.getInputStream(manifest)) {
                root = JSON.readTree(in);
            }
            String format = text(file, root, "format");
            if (!format.equals(FORMAT)) {
                throw bad(file, "format is '" + format + "', expected '" + FORMAT + "'");
            }
            int version = integer(file, root, "version");
            if (version < 1 || version > VERSION) {
                throw bad(file, "format version " + version + " is not supported (this l2o reads 1 to " + VERSION + ")");
            }
            JsonNode policy = node(file, root, "policy");
            JsonNode features = node(file, root, "featureMap");
            int inputSize = integer(file, root, "inputSize");
            int actionSize = integer(file, root, "actionSize");
            Map<String, INDArray> weights = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node(file, root, "weights").fields();
            while (it.hasNext()) {
                var e = it.next();
                weights.put(e.getKey(), array(zip, file, e.getKey(), e.getValue()));
            }
            JsonNode p = node(file, root, "provenance");
            Provenance provenance = new Provenance(text(file, p, "trainer"), strings(file, p, "trainerParameters"),
                    text(file, p, "objective"), strings(file, p, "objectiveParameters"),
                    integer(file, p, "trainObjectives"), integer(file, p, "steps"), p.path("seed").asLong(),
                    text(file, p, "l2oVersion"), text(file, p, "javaVersion"), Instant.parse(text(file, p, "created")),
                    history(file, p), p.has("environment") ? strings(file, p, "environment") : Map.of(),
                    p.has("budget") ? strings(file, p, "budget") : Map.of());
            return new LearnedOptimizer(text(file, policy, "id"), strings(file, policy, "parameters"),
                    text(file, features, "id"), strings(file, features, "parameters"), inputSize, actionSize, weights,
                    provenance);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": file not found");
        } catch (java.util.zip.ZipException e) {
            throw bad(file, "not a zip archive (" + e.getMessage() + ")");
        } catch (IOException | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    private static INDArray array(ZipFile zip, Path file, String name, JsonNode spec) throws IOException {
        String entry = text(file, spec, "file");
        JsonNode shapeNode = node(file, spec, "shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw bad(file, "weights." + name + ".shape has a negative or non-numeric extent");
            }
            count *= shape[i];
        }
        ZipEntry z = zip.getEntry(entry);
        if (z == null) {
            throw bad(file, "weights." + name + ": entry " + entry + " is missing");
        }
        byte[] raw;
        try (InputStream in = zip.getInputStream(z)) {
            raw = in.readAllBytes();
        }
        if (raw.length != count * 8) {
            throw bad(file, "weights." + name + ": " + raw.length + " bytes, expected " + count * 8 + " for shape "
                    + java.util.Arrays.toString(shape));
        }
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getDouble();
            if (!Double.isFinite(v[i])) {
                throw bad(file, "weights." + name + " holds a non-finite value at index " + i);
            }
        }
        return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape);
    }

    private static DataFormatException bad(Path file, String what) {
        return new DataFormatException(file + ": " + what);
    }

    private static JsonNode node(Path file, JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            throw bad(file, "missing field '" + key + "'");
        }
        return n;
    }

    private static String text(Path file, JsonNode parent, String key) {
        JsonNode n = node(file, parent, key);
        if (!n.isTextual()) {
            throw bad(file, "field '" + key + "' is not text");
        }
        return n.asText();
    }

    private static int integer(Path file, JsonNode parent, String key) {
        JsonNode n = node(file, parent, key);
        if (!n.canConvertToInt()) {
            throw bad(file, "field '" + key + "' is not an integer");
        }
        return n.asInt();
    }

    private static Map<String, String> strings(Path file, JsonNode parent, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node(file, parent, key).fields();
        while (it.hasNext()) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
