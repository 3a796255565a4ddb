package dev.uring4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/** The bench's C programs, built once per test JVM by build-native.sh, and the environment to run them in. */
final class NativeTools {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static BenchEnv env;

    private NativeTools() {}

    static synchronized BenchEnv env() throws Exception {
        if (env == null) {
            Process build = new ProcessBuilder("bash", ROOT.resolve("uring4j-bench/scripts/build-native.sh").toString())
                    .redirectErrorStream(true).start();
            build.getInputStream().transferTo(System.out);
            assertEquals(0, build.waitFor(), "build-native.sh");
            int cpus = Runtime.getRuntime().availableProcessors();
            env = new BenchEnv(ROOT, ROOT.resolve("uring4j-bench/target/native"), Path.of(System.getProperty("java.home"), "bin", "java"),
                    BenchEnv.DEFAULT_JVM_FLAGS, System.getProperty("java.class.path"), // the Java peers' dependencies too
                    0, cpus > 1 ? 1 : 0, CpuTime.nsPerTick());
        }
        return env;
    }
}
