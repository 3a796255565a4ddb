package dev.uring4j.bench.soak;

import dev.uring4j.cli.Main;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Child process for {@link DescriptorLimitTest}: lowers its own {@code RLIMIT_NOFILE} to the
 * descriptors the JVM holds now plus {@code args[0]}, prints {@code limit=N}, then runs
 * {@code ./uring4j} with the remaining arguments. The limit is set from inside because a JVM's
 * own descriptor count (jars, the runtime image, pipes) is not known before it starts; the server
 * starts after it, so its loops size their direct-descriptor tables under it, as they would under
 * {@code ulimit -n}.
 */
public final class LimitedServer {
    private LimitedServer() {}

    public static void main(String[] args) throws Exception {
        long limit = openDescriptors() + Integer.parseInt(args[0]);
        int r = LibC.setRlimit(LibC.RLIMIT_NOFILE, limit, LibC.rlimit(LibC.RLIMIT_NOFILE)[1]);
        if (r < 0) {
            throw new ErrnoException("setrlimit(RLIMIT_NOFILE)", r);
        }
        System.out.println("limit=" + limit);
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
