/**
 * The UDP echo cell's peers: Netty's io_uring and epoll datagram channels and a JDK
 * {@code DatagramChannel}, each a standalone server with the bench's readiness contract
 * ({@code --port P}, one line {@code listening on HOST:PORT}, SIGTERM stops it); the load comes
 * from {@code udp_load.c} and {@code scripts/udp.sh} runs the cell.
 */
package dev.uring4j.bench.udp;
