package org.l2o.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.l2o.api.ConfigurationException;

/**
 * An output folder written all at once. Files go to a hidden staging folder beside the target;
 * {@link #commit()} moves them in (the whole folder by one rename when the target does not exist
 * yet, otherwise file by file, each replacement atomic). A run that fails before committing
 * leaves the target exactly as it was, and {@link #close()} removes the staging folder. Staging
 * folders are named after the machine and process that own them, so one left by a killed run is
 * removed by the next run into the same target.
 */
public final class StagedOutput implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedOutput(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Checks that {@code target} can be written and opens a staging folder beside it.
     *
     * @throws ConfigurationException naming the folder when it cannot be used
     */
    public static StagedOutput open(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (Files.exists(t) && !Files.isDirectory(t)) {
            throw new ConfigurationException("output directory " + target + " exists and is not a directory");
        }
        Path parent = t.getParent();
        if (parent == null) {
            throw new ConfigurationException("output directory " + target + " has no parent folder");
        }
        try {
            Files.createDirectories(parent);
            if (!Files.isWritable(parent) || (Files.exists(t) && !Files.isWritable(t))) {
                throw new ConfigurationException("output directory " + target + " is not writable");
            }
            String prefix = "." + t.getFileName() + ".tmp-" + HOST + "-";
            removeAbandoned(parent, prefix);
            Path staging = Files.createTempDirectory(parent, prefix + ProcessHandle.current().pid() + "-");
            // Temporary folders are private (rwx------); results are ordinary folders.
            if (staging.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return new StagedOutput(t, staging);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException("cannot create output directory " + target + ": " + e.getFile()
                    + " exists and is not a directory");
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException("cannot create output directory " + target + ": " + e.getMessage());
        }
    }

    /** This machine's name as staging folders carry it (letters, digits, dots and dashes only). */
    private static final String HOST = host();

    private static String host() {
        String name;
        try {
            name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            name = "host";
        }
        String clean = name.replaceAll("[^A-Za-z0-9.]", "");
        return clean.isEmpty() ? "host" : clean;
    }

    /**
     * Deletes staging folders of this target left by processes of this machine that no longer
     * run (a killed run cannot clean up after itself). Folders of live processes, including
     * parallel runs writing into the same parent, and of other machines are left alone.
     */
    static void removeAbandoned(Path parent, String prefix) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent,
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path entry : entries) {
                String rest = entry.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0 || !Files.isDirectory(entry)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty()) {
                    delete(entry);
                }
            }
        } catch (IOException | SecurityException e) {
            // cleaning up is a courtesy; the new run does not depend on it
        }
    }

    /** The folder to write into before committing. */
    public Path dir() {
        return staging;
    }

    /** A file in the staging folder. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    /** The final folder. */
    public Path target() {
        return target;
    }

    /** Moves the staged files into the target folder. */
    public void commit() {
        try {
            if (!Files.exists(target)) {
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    committed = true;
                    return;
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    Files.createDirectories(target);
                }
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
                for (Path f : files) {
                    Path dest = target.resolve(f.getFileName());
                    if (Files.isDirectory(dest) && !Files.isDirectory(f)) {
                        throw new IOException(dest + " is a directory");
                    }
                    Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            committed = true;
            delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move results into " + target, e);
        }
    }

    /** Removes the staging folder unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            delete(staging);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // leftovers of a staging folder are harmless; the target is untouched
        }
    }

    /** Writes {@code content} to {@code file} through a temporary file and an atomic rename. */
    public static void writeAtomically(Path file, byte[] content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
