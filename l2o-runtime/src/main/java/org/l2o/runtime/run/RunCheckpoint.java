package org.l2o.runtime.run;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.l2o.api.ConfigurationException;

/**
 * The runs of an evaluation finished so far, kept beside its output folder
 * ({@code .OUT.checkpoint}) so that a command that died (the driver of a cluster, say) continues
 * with {@code --resume} where it stopped: the runs come back in task order, each appended and
 * forced to disk as it is handed on, and a run cut off while being written is dropped. The file
 * names the command that wrote it (its identity); another command does not resume from it. It is
 * deleted when the command succeeds, and locked while a command writes it, so two commands into the
 * same folder cannot interleave their runs.
 */
public final class RunCheckpoint implements AutoCloseable {

    private static final String MAGIC = "l2o-runs-checkpoint/1";

    private final Path file;
    private final List<Runs.Finished> done;
    private final FileChannel channel;

    private RunCheckpoint(Path file, List<Runs.Finished> done, FileChannel channel) {
        this.file = file;
        this.done = done;
        this.channel = channel;
    }

    /** Where the checkpoint of an output folder lives. */
    public static Path fileFor(Path target) {
        Path t = target.toAbsolutePath().normalize();
        return t.resolveSibling("." + t.getFileName() + ".checkpoint");
    }

    /**
     * Opens the checkpoint of {@code target}: with {@code resume}, the runs an earlier command with
     * the same {@code identity} finished (none when there is no checkpoint; {@code note} says so);
     * without, a fresh one (an old one is replaced).
     */
    public static RunCheckpoint open(Path target, String identity, boolean resume, Consumer<String> note) {
        Path file = fileFor(target);
        List<Runs.Finished> done = new ArrayList<>();
        FileChannel channel = null;
        try {
            boolean existed = Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!lock(channel)) {
                throw new ConfigurationException("--out " + target + ": another l2o command is writing into it ("
                        + file + " is locked)");
            }
            long keep = 0;
            if (resume && existed) {
                keep = read(file, identity, done);
                note.accept("--resume: " + done.size() + " run(s) read back from " + file);
            } else if (resume) {
                note.accept("--resume: no checkpoint " + file + " of an earlier run; starting from the beginning");
            }
            if (keep == 0) {
                channel.truncate(0);
                byte[] header = header(identity);
                channel.write(ByteBuffer.wrap(header), 0);
                keep = header.length;
            } else {
                channel.truncate(keep); // drops a run cut off mid-write
            }
            channel.position(keep);
            channel.force(false);
            return new RunCheckpoint(file, done, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * What a command's runs depend on, for its checkpoint: the command, the family's source (its
     * optimizer SPECs included), the command's other {@code settings} and the l2o version; another
     * command does not resume from it.
     */
    public static String identity(String command, EvaluationRun.Source source, String... settings) {
        List<String> parts = new ArrayList<>(List.of(command, source.objective(),
                new java.util.TreeMap<>(source.params()).toString(),
                source.dataDirectory().map(d -> d.toAbsolutePath().normalize().toString()).orElse(""),
                String.join("\n", source.optimizers())));
        parts.addAll(List.of(settings));
        parts.add("l2o=" + org.l2o.api.Versions.of(RunCheckpoint.class));
        return String.join("\n", parts);
    }

    /**
     * For work that continues where an interrupted run stopped without being asked (an experiment's
     * evaluation cells, as its meta-training does): the checkpoint of {@code target} resumed when it
     * has this {@code identity}, a fresh one otherwise ({@code note} says which, where it matters).
     */
    public static RunCheckpoint continuing(Path target, String identity, Consumer<String> note) {
        Path file = fileFor(target);
        boolean same;
        try (InputStream in = Files.exists(file) ? Files.newInputStream(file) : null) {
            byte[] expected = header(identity);
            same = in != null && java.util.Arrays.equals(expected, in.readNBytes(expected.length));
            if (in != null && !same) {
                note.accept(file + " was written by another command; its runs are done again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file, e);
        }
        RunCheckpoint c = open(target, identity, same, line -> { });
        if (c.resumed() > 0) {
            note.accept(c.resumed() + " run(s) read back from " + file);
        }
        return c;
    }

    /** Whether this command now holds the checkpoint alone (released when the channel closes). */
    private static boolean lock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false; // held by another command in this JVM
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the first failure is the one reported
            }
        }
    }

    private static byte[] header(String identity) {
        byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + magic.length + id.length);
        b.putInt(magic.length).put(magic).putInt(id.length).put(id);
        return b.array();
    }

    /** Reads the runs into {@code done}; returns the length of the file's intact part. */
    private static long read(Path file, String identity, List<Runs.Finished> done) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(raw)) {
            byte[] expected = header(identity);
            byte[] got = in.readNBytes(expected.length);
            if (!java.util.Arrays.equals(expected, got)) {
                throw new ConfigurationException("--resume: " + file + " was written by another command (other "
                        + "objective, optimizers, steps, seeds or l2o version); run without --resume to start over");
            }
            long intact = expected.length;
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return intact;
                }
                if (length < 0) {
                    return intact;
                }
                byte[] record = in.readNBytes(length);
                if (record.length < length) {
                    return intact;
                }
                done.add(EvaluationRun.decode(record));
                intact += 4 + length;
            }
        }
    }

    /** The runs read back, in task order. */
    List<Runs.Finished> done() {
        return done;
    }

    /** How many runs were read back. */
    public int resumed() {
        return done.size();
    }

    /** Appends a finished run (the next in task order) and forces it to disk. */
    void append(Runs.Finished f) {
        byte[] record = EvaluationRun.encode(f);
        ByteBuffer b = ByteBuffer.allocate(4 + record.length);
        b.putInt(record.length).put(record).flip();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }

    /** The command succeeded: the checkpoint goes. */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
