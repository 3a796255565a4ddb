/**
 * Small programs that each teach one thing. Also the module-path example: run one with
 * {@code java --module-path <the uring4j jars> --enable-native-access=dev.uring4j.ring
 * -m dev.uring4j.examples/dev.uring4j.examples.EchoServer}.
 */
module dev.uring4j.examples {
    requires dev.uring4j.http;
    // The game server and clients report CPU time and allocation per thread.
    requires jdk.management;

    exports dev.uring4j.examples;
    exports dev.uring4j.examples.game;
    exports dev.uring4j.examples.arena;
}
