package dev.uring4j.http;

/**
 * {@link VirtualThreadNetworkTest}'s cases with handlers on virtual threads that the connections'
 * loops carry ({@link BlockingHandler#onLoopVirtualThreads}, {@link HttpServer.Builder#virtualThreadsOnLoops}):
 * the same answers, overlap, pacing and order, and no pinning.
 */
class LoopVirtualThreadNetworkTest extends VirtualThreadNetworkTest {
    @Override
    boolean onLoops() {
        return true;
    }
}
