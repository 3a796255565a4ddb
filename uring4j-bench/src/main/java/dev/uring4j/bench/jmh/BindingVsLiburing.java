package dev.uring4j.bench.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./uring4j bench jmh}: the binding's JMH benchmarks side by side with their C twin
 * ({@code nop_bench.c} on liburing), and one table of the results against the foundation issue's
 * goals.
 *
 * <p>Each cell (a benchmark with its parameters) is measured by JMH in its own fork and by the C
 * program right before or after it, which one first alternating from cell to cell and round to
 * round, so that both see the same machine load; the whole sequence is repeated for
 * {@code --rounds}. The table gives medians over every measurement iteration (Java) and sample (C)
 * of all rounds, the ratio of the medians, and the spread of the per-round ratios as a noise gauge.
 *
 * <pre>
 * usage: BindingVsLiburing [--rounds N] [--cells REGEX] [--c PATH | --no-c REASON] [JMH options]
 * </pre>
 * JMH options ({@code -wi}, {@code -i}, {@code -r}, {@code -prof}, {@code -jvmArgsAppend}, ...) apply
 * to every cell; the C program takes the same number and length of measurement samples. Cells are
 * chosen with {@code --cells} (a regex over the cell names below), not with JMH's include patterns.
 */
public final class BindingVsLiburing {
    private BindingVsLiburing() {}

    /** A benchmark with its parameters, named as the C program names the same work. */
    private record Cell(String name, String label, Class<?> benchmark, String method, Map<String, String> params) {
        String jmhName() {
            return benchmark.getName() + "." + method;
        }
    }

    private static final List<Cell> CELLS = cells();

    private static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (int batch : new int[] {1, 8, 32, 128}) {
            for (String ringFd : new String[] {BenchRing.REGISTERED, BenchRing.PLAIN}) {
                cells.add(new Cell("nop-" + batch + "-" + ringFd, String.format("nop, batch %3d, %s fd", batch, ringFd),
                        NopBenchmark.class, "submitAndReap", Map.of("batch", Integer.toString(batch), "ringFd", ringFd)));
            }
        }
        for (String ringFd : new String[] {BenchRing.REGISTERED, BenchRing.PLAIN}) {
            cells.add(new Cell("enter-" + ringFd, "empty io_uring_enter, " + ringFd + " fd", EnterBenchmark.class,
                    "enter", Map.of("ringFd", ringFd)));
        }
        cells.add(new Cell("bufring-recycle", "buffer ring recycle (advance each)", BufferRingBenchmark.class,
                "recycle", Map.of()));
        cells.add(new Cell("bufring-add-advance", "buffer ring add x32 + advance", BufferRingBenchmark.class,
                "addAdvance", Map.of()));
        cells.add(new Cell("cq-drain", "CQ drain, 128 ready (per CQE)", CqDrainBenchmark.class, "forEachCqe",
                Map.of()));
        return List.copyOf(cells);
    }

    /** Everything measured for one cell over all rounds. */
    private static final class Tally {
        final List<Double> java = new ArrayList<>();
        final List<Double> c = new ArrayList<>();
        final List<Double> roundRatios = new ArrayList<>();
        /** The highest per-round median of gc.alloc.rate.norm, and in bytes per benchmark call. */
        double maxBytesPerOp;
        double maxBytesPerCall;
    }

    /**
     * JMH's results for one cell and round: each measurement iteration's score, the median
     * iteration's {@code gc.alloc.rate.norm}, and the operations one benchmark call counts for.
     */
    private record JavaRun(List<Double> scores, double bytesPerOp, int opsPerInvocation) {}

    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        Pattern select = Pattern.compile(".*");
        Path cProgram = null;
        String cMissing = "no C program given (--c PATH)";
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, "--rounds"));
                case "--cells" -> select = Pattern.compile(value(args, ++i, "--cells"));
                case "--c" -> cProgram = Path.of(value(args, ++i, "--c"));
                case "--no-c" -> cMissing = value(args, ++i, "--no-c");
                default -> jmhArgs.add(args[i]);
            }
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("jmh: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!cmd.getIncludes().isEmpty()) {
            System.err.println("jmh: choose cells with --cells REGEX instead of JMH include patterns "
                    + cmd.getIncludes() + "; the cells are " + CELLS.stream().map(Cell::name).toList());
            System.exit(2);
        }
        Pattern chosen = select;
        List<Cell> cells = CELLS.stream().filter(c -> chosen.matcher(c.name()).find()).toList();
        if (cells.isEmpty() || rounds < 1) {
            System.err.println("jmh: nothing to run (" + rounds + " rounds; the cells are "
                    + CELLS.stream().map(Cell::name).toList() + ")");
            System.exit(2);
        }
        Options base = withDefaults(cmd);
        int samples = base.getMeasurementIterations().get();
        long sampleMs = Math.max(1, base.getMeasurementTime().get().convertTo(TimeUnit.MILLISECONDS));
        CTwin twin = cProgram != null && Files.isExecutable(cProgram) ? new CTwin(cProgram, samples, sampleMs) : null;
        if (twin == null) {
            System.out.println("C side skipped: " + (cProgram != null ? cProgram + " is not executable" : cMissing));
        }

        System.out.printf(Locale.ROOT, "%d cells x %d rounds; JMH: %d fork(s), %d x %s warmup, %d x %s measurement, "
                        + "JVM args %s; C: %d x %d ms samples after %d ms warmup; load average %s%n",
                cells.size(), rounds, base.getForkCount().get(), base.getWarmupIterations().get(),
                base.getWarmupTime().get(), samples, base.getMeasurementTime().get(),
                base.getJvmArgsAppend().get(), samples, sampleMs, CTwin.WARMUP_MS, loadAverage());
        Map<Cell, Tally> tallies = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < cells.size(); k++) {
                Cell cell = cells.get(k);
                Tally tally = tallies.computeIfAbsent(cell, c -> new Tally());
                boolean cFirst = (round + k) % 2 == 0;
                List<Double> cSamples = cFirst && twin != null ? twin.run(cell.name()) : null;
                JavaRun java = runJava(base, cell);
                if (!cFirst && twin != null) {
                    cSamples = twin.run(cell.name());
                }
                tally.java.addAll(java.scores());
                tally.maxBytesPerOp = Math.max(tally.maxBytesPerOp, java.bytesPerOp());
                tally.maxBytesPerCall = Math.max(tally.maxBytesPerCall, java.bytesPerOp() * java.opsPerInvocation());
                String cFigure = "";
                if (cSamples != null) {
                    tally.c.addAll(cSamples);
                    tally.roundRatios.add(median(cSamples) / median(java.scores()));
                    cFigure = String.format(Locale.ROOT, ", C %.2f ns/op", median(cSamples));
                }
                System.out.printf(Locale.ROOT, "round %d/%d %-22s Java %.2f ns/op (%.3f B/op)%s%n", round + 1, rounds,
                        cell.name(), median(java.scores()), java.bytesPerOp(), cFigure);
            }
        }
        System.out.println("load average after the run: " + loadAverage());
        printTable(tallies, rounds, twin != null);
        if (twin != null && cells.stream().anyMatch(c -> c.benchmark() == EnterBenchmark.class)) {
            printSyscallReturnCost(twin);
        }
    }

    /**
     * C only: what returning from a function right after a system call costs on this machine. With
     * some CPU mitigations (AMD's SRSO "Safe RET") the first {@code ret} after a system call is
     * mispredicted; liburing's inline {@code syscall} pays it once per {@code io_uring_submit_and_wait},
     * a call through glibc's {@code syscall()} (C's empty-enter cell, and the FFM downcall) pays it too.
     */
    private static void printSyscallReturnCost(CTwin twin) {
        try {
            double inline = median(twin.run("syscall-inline"));
            double ret = median(twin.run("syscall-ret"));
            System.out.printf(Locale.ROOT, "C only: empty io_uring_enter (registered fd) as an inline syscall "
                    + "instruction %.2f ns, from a function that returns after it %.2f ns: the return costs "
                    + "%.1f ns here%n", inline, ret, ret - inline);
        } catch (IOException | InterruptedException | IllegalStateException e) {
            System.out.println("C only: the system call return cost was not measured: " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("jmh: " + option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /**
     * The command line's JMH options over this run's defaults: one fork per cell and round, a
     * short warmup (the measured loops are small and C2-compiled well within it), the gc profiler
     * for bytes per operation, native access for the binding.
     */
    private static Options withDefaults(CommandLineOptions cmd) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd).shouldFailOnError(true);
        if (!cmd.getForkCount().hasValue()) {
            b.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            b.warmupIterations(2);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            b.warmupTime(TimeValue.seconds(1));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            b.measurementIterations(4);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            b.measurementTime(TimeValue.milliseconds(500));
        }
        if (!cmd.verbosity().hasValue()) {
            b.verbosity(VerboseMode.SILENT);
        }
        if (cmd.getProfilers().stream().map(ProfilerConfig::getKlass)
                .noneMatch(p -> p.equals("gc") || p.equals(GCProfiler.class.getName()))) {
            b.addProfiler(GCProfiler.class);
        }
        // jvmArgsAppend replaces rather than merges the parent's, so the command line's are kept here.
        List<String> append = new ArrayList<>();
        append.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            // JMH 1.37 uses sun.misc.Unsafe; keeps the forks from warning about it (JEP 471).
            append.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (cmd.getJvmArgsAppend().hasValue()) {
            append.addAll(cmd.getJvmArgsAppend().get());
        }
        b.jvmArgsAppend(append.toArray(String[]::new));
        return b.build();
    }

    private static JavaRun runJava(Options base, Cell cell) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(base).include("^" + Pattern.quote(cell.jmhName()) + "$");
        cell.params().forEach(b::param);
        Collection<RunResult> results = new Runner(b.build()).run();
        List<Double> scores = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        int opsPerInvocation = 1;
        for (RunResult run : results) {
            opsPerInvocation = run.getParams().getOpsPerInvocation();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                    Result<?> norm = iteration.getSecondaryResults().get(ALLOC_NORM);
                    if (norm == null) {
                        throw new IllegalStateException("the gc profiler reported no " + ALLOC_NORM + " for "
                                + cell.name());
                    }
                    bytes.add(norm.getScore());
                }
            }
        }
        if (scores.isEmpty()) {
            throw new IllegalStateException("JMH returned no measurement for " + cell.jmhName() + " " + cell.params());
        }
        return new JavaRun(scores, median(bytes), opsPerInvocation);
    }

    /** The C program, one process per cell so that each starts from a fresh ring as a JMH fork does. */
    private static final class CTwin {
        static final int WARMUP_MS = 500;
        private final Path program;
        private final int samples;
        private final long sampleMs;

        CTwin(Path program, int samples, long sampleMs) {
            this.program = program;
            this.samples = samples;
            this.sampleMs = sampleMs;
        }

        List<Double> run(String cell) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(program.toString(), "--warmup-ms", Integer.toString(WARMUP_MS),
                    "--samples", Integer.toString(samples), "--sample-ms", Long.toString(sampleMs), cell)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String line;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                line = out.readLine();
            }
            int exit = p.waitFor();
            String prefix = cell + " ns_op=";
            int samplesAt = line == null ? -1 : line.indexOf(" samples=");
            if (exit != 0 || line == null || !line.startsWith(prefix) || samplesAt < 0) {
                throw new IllegalStateException(program + " " + cell + " failed (exit " + exit + ", printed "
                        + line + ")");
            }
            return Arrays.stream(line.substring(samplesAt + " samples=".length()).split(","))
                    .map(Double::valueOf).toList();
        }
    }

    private static void printTable(Map<Cell, Tally> tallies, int rounds, boolean withC) {
        System.out.println();
        System.out.printf(Locale.ROOT, "uring4j-ring (Java) vs liburing (C): medians over %d rounds, ns per operation; "
                + "Java/C = throughput ratio (C ns / Java ns), range = lowest..highest per-round ratio%n", rounds);
        System.out.printf(Locale.ROOT, "%-36s %10s %10s %8s %13s %10s%n", "", "Java ns/op", "C ns/op", "Java/C",
                "range", "Java B/op");
        System.out.println("(Java B/op: JMH gc profiler, gc.alloc.rate.norm of the median iteration, highest round)");
        double lowestNop = Double.POSITIVE_INFINITY;
        String lowestNopCell = null;
        double maxBytesPerCall = 0;
        String maxBytesCell = null;
        for (Map.Entry<Cell, Tally> e : tallies.entrySet()) {
            Cell cell = e.getKey();
            Tally t = e.getValue();
            double java = median(t.java);
            if (maxBytesCell == null || t.maxBytesPerCall > maxBytesPerCall) {
                maxBytesPerCall = t.maxBytesPerCall;
                maxBytesCell = cell.name();
            }
            if (withC && !t.c.isEmpty()) {
                double c = median(t.c);
                double ratio = c / java;
                System.out.printf(Locale.ROOT, "%-36s %10.2f %10.2f %8.3f %6.3f..%5.3f %10.3f%n", cell.label(), java,
                        c, ratio, t.roundRatios.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
                        t.roundRatios.stream().mapToDouble(d -> d).max().orElse(Double.NaN), t.maxBytesPerOp);
                if (cell.benchmark() == NopBenchmark.class && ratio < lowestNop) {
                    lowestNop = ratio;
                    lowestNopCell = cell.name();
                }
            } else {
                System.out.printf(Locale.ROOT, "%-36s %10.2f %10s %8s %13s %10.3f%n", cell.label(), java, "-", "-",
                        "-", t.maxBytesPerOp);
            }
        }
        System.out.println();
        if (withC && lowestNopCell != null) {
            System.out.printf(Locale.ROOT, "goal: nop >= 0.95x C's throughput at every batch, both fds: %s "
                    + "(lowest %.3f, %s)%n", lowestNop >= 0.95 ? "met" : "MISSED", lowestNop, lowestNopCell);
        }
        for (Map.Entry<Cell, Tally> e : tallies.entrySet()) {
            if (e.getKey().benchmark() == EnterBenchmark.class && withC && !e.getValue().c.isEmpty()) {
                double diff = median(e.getValue().java) - median(e.getValue().c);
                System.out.printf(Locale.ROOT, "goal: %s at most 10 ns slower than C's: %s (%+.2f ns)%n",
                        e.getKey().label(), diff <= 10 ? "met" : "MISSED", diff);
            }
        }
        // gc.alloc.rate.norm counts every thread of the fork, JMH's own included (a few KB per
        // iteration, spread over its operations). A hot-path allocation is at least one 16-byte
        // object per benchmark call, in every iteration, so the median iteration shows it.
        System.out.printf(Locale.ROOT, "goal: 0 bytes allocated per operation: %s (gc profiler, median iteration: "
                        + "at most %.4f B per benchmark call, %s; one object would be >= 16 B)%n",
                maxBytesPerCall < 16 ? "met" : "MISSED", maxBytesPerCall, maxBytesCell);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
