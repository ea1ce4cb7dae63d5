package org.l2o.runtime.run;

import java.util.Optional;
import org.l2o.api.CreationContext;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;

/** Turns a learned optimizer (policy class, feature map, weights) into an update rule. */
public final class LearnedOptimizers {

    /** What a learned optimizer whose policy reads the gradient itself records as its feature map. */
    public static final String NO_FEATURES = "none";

    private LearnedOptimizers() {
    }

    /** The rule a learned optimizer runs, named {@code spec} in outputs; its policy class restores it. */
    public static UpdateRule rule(String spec, LearnedOptimizer optimizer, PluginRegistry registry,
                                  CreationContext context) {
        Optional<FeatureMap> features = Optional.empty();
        if (!optimizer.featureMap().equals(NO_FEATURES)) {
            FeatureMapProvider fp = registry.get(FeatureMapProvider.class, optimizer.featureMap());
            features = Optional.of(fp.create(fp.configure(optimizer.featureParameters()), context));
        }
        return registry.policyClass(optimizer.policyClass()).rule(spec, optimizer, features);
    }

    /** Where the pretrained optimizers shipped with l2o live on the class path, with an index of their names. */
    static final String PRETRAINED = "/org/l2o/runtime/pretrained/";

    /** The names of the pretrained optimizers shipped (usable as {@code learned:NAME}). */
    public static java.util.List<String> pretrained() {
        try (java.io.InputStream in = LearnedOptimizers.class.getResourceAsStream(PRETRAINED + "index.txt")) {
            if (in == null) {
                return java.util.List.of();
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The file of {@code learned:NAME}: the path itself where it exists or looks like a path (a
     * separator or the .l2o suffix), otherwise the pretrained optimizer of that name shipped inside
     * l2o, copied to a temporary file.
     *
     * @throws org.l2o.api.DataFormatException naming the file and the pretrained optimizers when neither exists
     */
    public static java.nio.file.Path locate(String name) {
        java.nio.file.Path path = java.nio.file.Path.of(name);
        boolean pathLike = name.contains("/") || name.contains(java.io.File.separator) || name.endsWith(".l2o");
        if (java.nio.file.Files.exists(path) || pathLike) {
            return path;
        }
        if (!pretrained().contains(name)) {
            throw new org.l2o.api.DataFormatException(name + ": file not found, and no pretrained optimizer has that "
                    + "name (shipped: " + String.join(", ", pretrained()) + ")");
        }
        try (java.io.InputStream in = LearnedOptimizers.class.getResourceAsStream(PRETRAINED + name + ".l2o")) {
            if (in == null) {
                throw new org.l2o.api.DataFormatException("pretrained optimizer '" + name + "' is listed but missing "
                        + "from the l2o-runtime jar");
            }
            java.nio.file.Path copy = java.nio.file.Files.createTempFile("l2o-pretrained-" + name, ".l2o");
            copy.toFile().deleteOnExit();
            java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
