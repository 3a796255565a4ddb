package dev.uring4j.runtime;

/**
 * Counters of one UDP socket (or, summed, of an endpoint), as a snapshot. Read from another
 * thread, the values are recent but not necessarily from the same instant.
 *
 * @param datagramsReceived   datagrams delivered to the handler
 * @param bytesReceived       payload bytes delivered
 * @param truncated           datagrams longer than the maximum datagram size, delivered cut ({@code MSG_TRUNC})
 * @param receiveErrors       receives that ended with an error the handler heard about ({@code ECONNREFUSED}, ...)
 * @param bufferRingExhausted receives that ended with {@code -ENOBUFS} (all provided buffers in use) and were re-armed on the next group
 * @param datagramsSent       datagrams the kernel accepted
 * @param bytesSent           payload bytes the kernel accepted
 * @param sends               send operations submitted (one per datagram, or per GSO run)
 * @param gsoSends            sends that carried several datagrams to one peer ({@code UDP_SEGMENT})
 * @param sendRefused         sends refused because the send queue was full or the socket closed
 * @param sendErrors          datagrams the kernel refused to send (the handler heard why)
 * @param peers               peers in the socket's peer table now
 * @param receiveBufferBytes  the socket's effective {@code SO_RCVBUF} (the kernel's doubled value)
 */
public record UdpStats(long datagramsReceived, long bytesReceived, long truncated, long receiveErrors,
                       long bufferRingExhausted, long datagramsSent, long bytesSent, long sends, long gsoSends,
                       long sendRefused, long sendErrors, long peers, long receiveBufferBytes) {

    /**
     * Sums two snapshots (endpoint totals).
     *
     * @param o the other snapshot
     * @return every counter summed
     */
    public UdpStats plus(UdpStats o) {
        return new UdpStats(datagramsReceived + o.datagramsReceived, bytesReceived + o.bytesReceived,
                truncated + o.truncated, receiveErrors + o.receiveErrors, bufferRingExhausted + o.bufferRingExhausted,
                datagramsSent + o.datagramsSent, bytesSent + o.bytesSent, sends + o.sends,
                gsoSends + o.gsoSends, sendRefused + o.sendRefused, sendErrors + o.sendErrors, peers + o.peers,
                receiveBufferBytes + o.receiveBufferBytes);
    }

    @Override
    public String toString() {
        return String.format("received=%d (%dB, truncated %d, errors %d, ENOBUFS %d) sent=%d (%dB in %d sends, "
                        + "%d with GSO; refused %d, errors %d) peers=%d rcvbuf=%dB",
                datagramsReceived, bytesReceived, truncated, receiveErrors, bufferRingExhausted, datagramsSent,
                bytesSent, sends, gsoSends, sendRefused, sendErrors, peers, receiveBufferBytes);
    }
}
