package dev.uring4j.bench.peers;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * What the Netty request/response peers share: replies written during a read batch are flushed
 * once when the batch ends, so pipelined requests leave in one write; a failed connection (a
 * client that reset it, typically) is closed while the others go on.
 */
abstract class FlushingHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
