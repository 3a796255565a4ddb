package dev.uring4j.bench.peers;

import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.uring4j.bench.tls.ServerControl;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The HTTPS peer: {@link NettyHttpServer}'s plaintext answer behind Netty's {@code SslHandler}
 * over the JDK's {@code SSLEngine} ({@link SslProvider#JDK}, not OpenSSL), on the transport named
 * by {@code --transport} (default epoll), presenting the PEM certificate and key of
 * {@code --cert} and {@code --key}, without ALPN; TLS 1.3 and 1.2 unless {@code --tls-protocol} names one. The cipher suites
 * are Netty's defaults for the JDK provider unless {@code --tls-suite} names one. Requests and open connections are counted and read
 * by {@link ServerControl}, as in uring4j's HTTPS server.
 */
public final class NettyHttpsServer {
    private NettyHttpsServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("NettyHttpsServer", args, Set.of("--transport", "--cert", "--key", "--tls-protocol", "--tls-suite"));
        String cert = peer.required("--cert");
        String key = peer.required("--key");
        SslContextBuilder builder = SslContextBuilder.forServer(new File(cert), new File(key))
                .sslProvider(SslProvider.JDK);
        String protocol = peer.options().get("--tls-protocol");
        builder.protocols(protocol != null ? new String[] {protocol} : new String[] {"TLSv1.3", "TLSv1.2"});
        String suite = peer.options().get("--tls-suite");
        if (suite != null) {
            builder.ciphers(List.of(suite));
        }
        SslContext ssl = builder.build();
        AtomicInteger open = new AtomicInteger();
        ServerControl.start(NettyHttpServer::requests, open::get);
        NettyServers.serve(peer, peer.options().getOrDefault("--transport", "epoll"), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                open.incrementAndGet();
                ch.closeFuture().addListener(closed -> open.decrementAndGet());
                ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(), new NettyHttpServer.Plaintext());
            }
        });
    }
}
