package org.l2o.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code l2o bench}: runs the JMH benchmarks case by case (one forked JVM each) and, with
 * {@code --vs-pytorch}, the PyTorch peer on the same cases, then prints one line per case:
 * {@code BENCH <case> l2o=<steps/s> pytorch=<steps/s> ratio=<l2o/pytorch>}, both sides in the
 * precision the case names ({@code f32} or {@code f64}); classic optimizer steps are compared
 * with the bandwidth-bound loop instead ({@code bound=}). Exit code 2 with one
 * line for bad arguments or a missing peer.
 */
public final class Bench {

    /** MLP cases: net/minibatch/rule; each runs in single and double precision (suffix f32, f64). */
    static final List<String> MLP_CASES = List.of("784-100-10/64/adam", "784-100-10/64/momentum",
            "48-48-10/64/adam", "48-48-10/64/momentum", "48-48-10/10/adam", "48-48-10/10/momentum",
            "100-200-10/64/adam", "100-200-10/64/momentum", "100-200-10/10/adam", "100-200-10/10/momentum",
            "48-48-10/64/lopt", "48-48-10/64/lopt16", "100-200-10/64/lopt", "100-200-10/64/lopt16");
    static final List<String> PRECISIONS = List.of("f32", "f64");
    static final List<String> RULES = List.of("sgd", "momentum", "adagrad", "rmsprop", "adam");
    static final List<Integer> RULE_SIZES = List.of(1_000, 10_000, 100_000, 1_000_000);
    static final List<Integer> LSTM_SIZES = List.of(1_000, 10_000, 100_000);
    static final List<Integer> POLICY_SIZES = List.of(4, 12, 1_000);
    /**
     * DL4J fit iterations (LeNet at batch 64; a 784-500-10 MLP at batch 2, where the update
     * dominates): DL4J's own Adam, l2o's Adam and the shipped learned optimizer through L2oUpdater.
     */
    static final List<String> DL4J_UPDATERS = List.of("adam", "l2o-adam", "mnist-v1");
    /** The 2017 nets' parameter counts: 48-48-10 and 100-200-10. */
    static final List<Integer> LM2017_SIZES = List.of(2_842, 22_210);

    /** One benchmark case: its name, the JMH method and the parameters that select it. */
    record Case(String name, String benchmark, Map<String, String> params) {
    }

    /** Parsed command line. */
    record Options(boolean vsPytorch, boolean quick, Pattern include, Optional<Path> dataDir, String python,
                   Optional<Path> csv, boolean gps) {
    }

    private Bench() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("l2o bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        try {
            System.exit(run(options));
        } catch (IllegalStateException e) {
            System.err.println("l2o bench: " + e.getMessage());
            System.exit(2);
        }
    }

    static final String USAGE = """
            Usage: l2o bench [--vs-pytorch] [--quick] [--include REGEX] [--gps] [--data-dir DIR] [--python EXE]
                             [--csv FILE]
            Runs l2o's JMH benchmarks (MLP training steps, classic and learned optimizer steps), one forked
            JVM per case, and prints BENCH lines.
              --vs-pytorch   also run the PyTorch peer (python3-torch) on the same cases, one thread
              --quick        shorter warm-up and measurement (numbers get noisier)
              --include      only cases whose name matches REGEX (e.g. 'mlp/784'; '^$' for none)
              --gps          time two GPS iterations on the 2016 logistic-regression setting, per phase
                             (alone: only that; with --include: after the matching cases)
              --data-dir     folder holding mnist/ IDX files (default: $L2O_DATA; the embedded subset otherwise)
              --python       Python interpreter of the peer (default: /usr/bin/python3 when present)
              --csv          also write the results to FILE (atomically)
            """;

    static Options parse(String[] args) {
        boolean vs = false;
        boolean quick = false;
        Pattern include = Pattern.compile(".*");
        String env = System.getenv("L2O_DATA");
        Optional<Path> data = env == null || env.isEmpty() ? Optional.empty() : Optional.of(Path.of(env));
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Optional<Path> csv = Optional.empty();
        boolean gps = false;
        boolean included = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--vs-pytorch" -> vs = true;
                case "--quick" -> quick = true;
                case "--gps" -> gps = true;
                case "--include" -> {
                    include = Pattern.compile(value(args, ++i, a));
                    included = true;
                }
                case "--data-dir" -> data = Optional.of(Path.of(value(args, ++i, a)));
                case "--python" -> python = value(args, ++i, a);
                case "--csv" -> csv = Optional.of(Path.of(value(args, ++i, a)));
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        if (data.isPresent() && !Files.isDirectory(data.get())) {
            throw new IllegalArgumentException("data directory '" + data.get() + "' does not exist");
        }
        if (gps && !included) {
            include = Pattern.compile("^$"); // --gps alone times GPS only
        }
        return new Options(vs, quick, include, data, python, csv, gps);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option '" + option + "' needs a value");
        }
        return args[i];
    }

    static final int GEMM_SIZE = 512;
    /** The GPS phase breakdown, run in this JVM after the JMH cases (not a JMH case: see GpsBreakdown). */
    static final String GPS_CASE = "gps/logistic-regression";

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String precision : PRECISIONS) {
            cases.add(new Case("gemm/" + GEMM_SIZE + "/" + precision, Gemm.class.getName() + ".multiply",
                    Map.of("size", Integer.toString(GEMM_SIZE), "precision", precision)));
        }
        for (String c : MLP_CASES) {
            for (String precision : PRECISIONS) {
                String name = c + "/" + precision;
                cases.add(new Case("mlp/" + name, MlpTrainingStep.class.getName() + ".step", Map.of("benchCase", name)));
            }
        }
        for (String r : RULES) {
            for (int n : RULE_SIZES) {
                Map<String, String> p = Map.of("rule", r, "size", Integer.toString(n));
                cases.add(new Case("optimizer/" + r + "/" + n, OptimizerStep.class.getName() + ".platform", p));
                cases.add(new Case("bound/" + r + "/" + n, OptimizerStep.class.getName() + ".boundLoop", p));
            }
        }
        for (int n : POLICY_SIZES) {
            cases.add(new Case("mlp-policy/" + n + "/f64", PolicyStep.class.getName() + ".step",
                    Map.of("size", Integer.toString(n))));
        }
        for (int n : LSTM_SIZES) {
            // the LSTM optimizer computes in double precision only
            cases.add(new Case("lstm/" + n + "/f64", LearnedStep.class.getName() + ".step",
                    Map.of("size", Integer.toString(n), "policy", "l2l")));
        }
        for (int n : LM2017_SIZES) {
            cases.add(new Case("lm2017/" + n + "/f64", LearnedStep.class.getName() + ".step",
                    Map.of("size", Integer.toString(n), "policy", "lm2017")));
        }
        cases.add(new Case("dl4j/lenet-im2col/64/adam", Dl4jFitStep.class.getName() + ".fit",
                Map.of("benchCase", "lenet-im2col/64/adam")));
        for (String net : List.of("lenet/64/", "mlp500/2/")) {
            for (String u : DL4J_UPDATERS) {
                cases.add(new Case("dl4j/" + net + u, Dl4jFitStep.class.getName() + ".fit",
                        Map.of("benchCase", net + u)));
            }
        }
        return cases;
    }

    /** The case of the same network on DL4J's own convolution path: dl4j/lenet/64/adam -> dl4j/lenet-im2col/64/adam. */
    private static String im2col(String name) {
        String[] parts = name.split("/");
        return parts.length < 2 ? name : "dl4j/" + parts[1] + "-im2col" + name.substring(("dl4j/" + parts[1]).length());
    }

    static int run(Options options) {
        List<Case> selected = new ArrayList<>();
        for (Case c : cases()) {
            boolean bound = c.name().startsWith("bound/");
            String shown = bound ? "optimizer/" + c.name().substring("bound/".length()) : c.name();
            if (options.include().matcher(shown).find()) {
                selected.add(c);
            }
        }
        // the MLP cases' arithmetic limit needs the machine's GEMM rate in their precision
        for (Case c : cases()) {
            String precision = c.name().substring(c.name().lastIndexOf('/'));
            if (c.name().startsWith("gemm/") && !selected.contains(c) && selected.stream()
                    .anyMatch(s -> s.name().startsWith("mlp/") && s.name().endsWith(precision))) {
                selected.add(0, c);
            }
        }
        if (selected.isEmpty() && !options.gps()) {
            throw new IllegalStateException("no case matches --include '" + options.include() + "'");
        }
        List<String> peerCases = selected.stream().map(Case::name)
                .filter(n -> n.startsWith("mlp/") || n.startsWith("lstm/") || n.startsWith("lm2017/")).toList();
        if (options.vsPytorch()) {
            checkPeer(options);
        }
        Map<String, Double> l2o = new LinkedHashMap<>();
        int k = 0;
        for (Case c : selected) {
            k++;
            double rate = jmh(c, options);
            l2o.put(c.name(), rate);
            System.err.printf(Locale.ROOT, "[%d/%d] %s: %.4g steps/s%n", k, selected.size(), c.name(), rate);
        }
        Map<String, Double> peer = options.vsPytorch() && !peerCases.isEmpty() ? peer(peerCases, options) : Map.of();
        List<Row> rows = rows(l2o, peer);
        rows.forEach(r -> System.out.println(r.line()));
        if (options.gps()) {
            System.err.println("running " + GPS_CASE + " (two GPS iterations in this JVM; several minutes)");
            for (GpsBreakdown.Phases p : GpsBreakdown.run(2)) {
                System.out.printf(Locale.ROOT, "BENCH %s/iteration-%d seconds=%.2f sampling=%.2f dynamics=%.2f lqr=%.2f"
                        + " regression=%.2f%n", GPS_CASE, p.iteration(), p.total(), p.sampling(), p.dynamics(),
                        p.lqr(), p.regression());
            }
        }
        options.csv().ifPresent(path -> writeCsv(path, rows));
        return 0;
    }

    /**
     * One result: l2o's rate, the reference it is compared with ({@code pytorch}, {@code bound}, or
     * none) and, for MLP cases, the arithmetic limit in steps per second (NaN where not measured).
     */
    record Row(String name, double l2o, String reference, double referenceRate, double limit) {
        String line() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "BENCH %s l2o=%.4g", name, l2o));
            if (name.startsWith("gemm/")) {
                b.append(String.format(Locale.ROOT, " gflops=%.1f", l2o * Gemm.flops(GEMM_SIZE) / 1e9));
            }
            if (!reference.isEmpty()) {
                b.append(String.format(Locale.ROOT, " %s=%.4g ratio=%.3f", reference, referenceRate,
                        l2o / referenceRate));
            }
            if (Double.isFinite(limit)) {
                b.append(String.format(Locale.ROOT, " limit=%.4g of_limit=%.3f", limit, l2o / limit));
            }
            return b.toString();
        }
    }

    static List<Row> rows(Map<String, Double> l2o, Map<String, Double> peer) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : l2o.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("bound/")) {
                continue;
            }
            String reference = "";
            double rate = Double.NaN;
            if (name.startsWith("optimizer/")) {
                reference = "bound";
                rate = l2o.get("bound/" + name.substring("optimizer/".length()));
            } else if (name.startsWith("dl4j/") && !name.endsWith("/adam")) {
                // an l2o optimizer inside DL4J against DL4J's own Adam on the same network
                reference = "dl4j-adam";
                rate = l2o.getOrDefault(name.substring(0, name.lastIndexOf('/')) + "/adam", Double.NaN);
            } else if (name.startsWith("dl4j/") && l2o.containsKey(im2col(name))) {
                // DL4J's own Adam with native convolutions against DL4J's Java-side im2col path
                reference = "dl4j-im2col";
                rate = l2o.get(im2col(name));
            } else if (peer.containsKey(name)) {
                reference = "pytorch";
                rate = peer.get(name);
            }
            double limit = Double.NaN;
            Double gemm = name.startsWith("mlp/") ? l2o.get("gemm/" + GEMM_SIZE + name.substring(name.lastIndexOf('/')))
                    : null;
            if (gemm != null) {
                limit = gemm * Gemm.flops(GEMM_SIZE) / mlpFlops(name);
            }
            rows.add(new Row(name, e.getValue(), reference, rate, limit));
        }
        return rows;
    }

    /**
     * Floating-point operations of the GEMMs in one training step of an MLP case
     * ({@code mlp/784-100-10/64/adam/f32}): forward {@code 2 B in out} per layer, the weight
     * gradient as much again, and the input gradient of every layer but the first.
     */
    static double mlpFlops(String name) {
        String[] parts = name.split("/");
        String[] sizes = parts[1].split("-");
        int batch = Integer.parseInt(parts[2]);
        double flops = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double layer = 2.0 * batch * Integer.parseInt(sizes[l]) * Integer.parseInt(sizes[l + 1]);
            flops += (l == 0 ? 2 : 3) * layer;
        }
        return flops;
    }

    private static double jmh(Case c, Options options) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(Pattern.quote(c.benchmark()) + "$")
                .forks(1)
                .threads(1)
                .warmupIterations(options.quick() ? 2 : 3)
                .warmupTime(TimeValue.milliseconds(options.quick() ? 500 : 1000))
                .measurementIterations(options.quick() ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(options.quick() ? 500 : 1000))
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend(jvmArgs(options));
        c.params().forEach(b::param);
        try {
            var results = new Runner(b.build()).run();
            if (results.isEmpty()) {
                throw new IllegalStateException("benchmark " + c.name() + " produced no result (did it fail? rerun "
                        + "with --include '" + c.name() + "' and read the forked JVM's output)");
            }
            RunResult r = results.iterator().next();
            return r.getPrimaryResult().getScore();
        } catch (RunnerException e) {
            throw new IllegalStateException("benchmark " + c.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static String[] jvmArgs(Options options) {
        List<String> args = new ArrayList<>(List.of("-Xmx3g", "-XX:+UseParallelGC",
                "-Dorg.bytedeco.javacpp.maxbytes=6g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        options.dataDir().ifPresent(d -> args.add("-Dl2o.data=" + d.toAbsolutePath()));
        return args.toArray(String[]::new);
    }

    private static Path peerScript() {
        String home = System.getProperty("l2o.home", "");
        List<Path> candidates = new ArrayList<>();
        if (!home.isEmpty()) {
            candidates.add(Path.of(home, "bench", "peer_pytorch.py"));
        }
        candidates.add(Path.of("l2o-bench", "src", "main", "python", "peer_pytorch.py"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the PyTorch peer script was not found (looked for " + candidates + ")");
    }

    /** Fails with the exact missing piece before any benchmark runs. */
    private static void checkPeer(Options options) {
        if (options.dataDir().isEmpty()) {
            throw new IllegalStateException("--vs-pytorch needs the MNIST IDX files the peer reads: pass --data-dir "
                    + "DIR (holding mnist/train-images-idx3-ubyte[.gz]) or set L2O_DATA");
        }
        peerScript();
        List<String> out = exec(List.of(options.python(), "-c", "import torch; print(torch.__version__)"), true);
        if (out == null) {
            throw new IllegalStateException("PyTorch is not importable from " + options.python()
                    + ": install it with 'apt-get install python3-torch libopenblas0-pthread' (Debian), or name "
                    + "another interpreter with --python");
        }
    }

    private static Map<String, Double> peer(List<String> names, Options options) {
        List<String> command = new ArrayList<>(List.of(options.python(), peerScript().toString(), "--data-dir",
                options.dataDir().orElseThrow().toString(), "--seconds", options.quick() ? "0.5" : "1",
                "--repeats", options.quick() ? "3" : "5"));
        command.addAll(names);
        System.err.println("running the PyTorch peer on " + names.size() + " cases");
        List<String> out = exec(command, false);
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String line : out) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("PEER")) {
                rates.put(f[1], Double.parseDouble(f[2]));
            }
        }
        return rates;
    }

    /** Runs a command with one thread for BLAS and OpenMP; its lines, or null on failure when {@code quiet}. */
    private static List<String> exec(List<String> command, boolean quiet) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        try {
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (!quiet && !line.startsWith("PEER ")) {
                        System.err.println("peer: " + line);
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                if (quiet) {
                    return null;
                }
                throw new IllegalStateException("the PyTorch peer exited with " + rc + ": " + String.join(" ", command));
            }
            return lines;
        } catch (IOException e) {
            if (quiet) {
                return null;
            }
            throw new IllegalStateException("cannot run '" + command.get(0) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void writeCsv(Path path, List<Row> rows) {
        StringBuilder sb = new StringBuilder("case,l2o_steps_per_s,reference,reference_steps_per_s,ratio,limit_steps_per_s\n");
        for (Row r : rows) {
            sb.append(r.name()).append(',').append(r.l2o()).append(',').append(r.reference()).append(',')
                    .append(r.reference().isEmpty() ? "" : r.referenceRate()).append(',')
                    .append(r.reference().isEmpty() ? "" : r.l2o() / r.referenceRate()).append(',')
                    .append(Double.isFinite(r.limit()) ? r.limit() : "").append('\n');
        }
        try {
            Path abs = path.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
