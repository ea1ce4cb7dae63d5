package org.l2o.kernels.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.l2o.api.DataFormatException;

/**
 * Finds a dataset by name or path. Named datasets are looked up under the data directory
 * ({@code --data-dir}, then {@code L2O_DATA}); without one, MNIST and Fashion-MNIST fall back to
 * the small training subsets embedded in this module, so first runs work on a fresh machine.
 */
public final class Datasets {

    /** Names this reader knows, with the folder names tried under a data directory and the class count. */
    private record Known(List<String> folders, Format format, int classes) {
    }

    private enum Format { IDX, CIFAR10, CIFAR100 }

    private static final Map<String, Known> KNOWN = Map.of(
            "mnist", new Known(List.of("mnist"), Format.IDX, 10),
            "fashion-mnist", new Known(List.of("fashion-mnist"), Format.IDX, 10),
            "fer2013", new Known(List.of("fer2013"), Format.IDX, 7),
            "cifar-10", new Known(List.of("cifar-10-batches-bin", "cifar-10"), Format.CIFAR10, 10),
            "cifar-100", new Known(List.of("cifar-100-binary", "cifar-100"), Format.CIFAR100, 100));

    /** Names of the datasets known by name. */
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar-10", "cifar-100", "fer2013");

    private static final String EMBEDDED = "/org/l2o/kernels/embedded/";

    private Datasets() {
    }

    /**
     * Loads the training ({@code train = true}) or test split of a dataset.
     *
     * @param dataset a known name, or a path to a folder of MNIST-named IDX files or CIFAR batches
     * @param dataDir the data directory, if the user set one
     */
    public static LabeledImages load(String dataset, boolean train, Optional<Path> dataDir) {
        Known known = KNOWN.get(dataset);
        if (known == null) {
            Path folder = Path.of(dataset);
            if (!Files.isDirectory(folder)) {
                throw new DataFormatException("dataset '" + dataset + "' is neither a known name (" + String.join(", ", NAMES)
                        + ") nor an existing folder");
            }
            return loadFolder(folder, detect(folder), 0, train);
        }
        if (dataDir.isPresent()) {
            Path dir = dataDir.get();
            for (String f : known.folders()) {
                Path folder = dir.resolve(f);
                if (Files.isDirectory(folder)) {
                    return loadFolder(folder, known.format(), known.classes(), train);
                }
            }
            throw new DataFormatException("dataset '" + dataset + "' not found: no folder " + String.join(" or ",
                    known.folders().stream().map(f -> dir.resolve(f).toString()).toList())
                    + " (see README, 'Data', for where to get it)");
        }
        if (train && hasEmbedded(dataset)) {
            return embedded(dataset, known.classes());
        }
        throw new DataFormatException("dataset '" + dataset + "' needs a data directory: pass --data-dir DIR or set "
                + "L2O_DATA (only the training subsets of mnist and fashion-mnist are embedded)");
    }

    private static Format detect(Path folder) {
        if (idxFile(folder, "train-images-idx3-ubyte") != null) {
            return Format.IDX;
        }
        if (Files.isRegularFile(folder.resolve("data_batch_1.bin")) || Files.isRegularFile(folder.resolve("test_batch.bin"))) {
            return Format.CIFAR10;
        }
        if (Files.isRegularFile(folder.resolve("train.bin"))) {
            return Format.CIFAR100;
        }
        throw new DataFormatException(folder + ": no train-images-idx3-ubyte[.gz], data_batch_1.bin (CIFAR-10) or "
                + "train.bin (CIFAR-100) in this folder");
    }

    private static LabeledImages loadFolder(Path folder, Format format, int classes, boolean train) {
        return switch (format) {
            case IDX -> {
                String prefix = train ? "train" : "t10k";
                Path images = idxFile(folder, prefix + "-images-idx3-ubyte");
                Path labels = idxFile(folder, prefix + "-labels-idx1-ubyte");
                if (images == null) {
                    throw new DataFormatException(folder.resolve(prefix + "-images-idx3-ubyte.gz") + ": file not found");
                }
                if (labels == null) {
                    throw new DataFormatException(folder.resolve(prefix + "-labels-idx1-ubyte.gz") + ": file not found");
                }
                yield Idx.readPair(images, labels, classes);
            }
            case CIFAR10 -> Cifar.read(Cifar.files(folder, false, train), false);
            case CIFAR100 -> Cifar.read(Cifar.files(folder, true, train), true);
        };
    }

    private static Path idxFile(Path folder, String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether a training subset of {@code dataset} ships inside this module. */
    public static boolean hasEmbedded(String dataset) {
        return Datasets.class.getResource(EMBEDDED + dataset + "/train-labels-idx1-ubyte.gz") != null;
    }

    private static LabeledImages embedded(String dataset, int classes) {
        String base = EMBEDDED + dataset + "/";
        String name = "embedded " + dataset + " subset";
        try (InputStream img = Datasets.class.getResourceAsStream(base + "train-images-idx3-ubyte.gz");
             InputStream lab = Datasets.class.getResourceAsStream(base + "train-labels-idx1-ubyte.gz")) {
            return Idx.pair(Idx.read(img, name + " images"), name, Idx.read(lab, name + " labels"), name + " labels",
                    classes);
        } catch (IOException e) {
            throw new DataFormatException(name + ": " + e.getMessage(), e);
        }
    }
}
