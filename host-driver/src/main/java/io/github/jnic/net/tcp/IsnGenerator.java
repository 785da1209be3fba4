package io.github.jnic.net.tcp;

import java.security.SecureRandom;

/**
 * Initial sequence numbers per RFC 6528: ISN = M + F(local address, local port, remote address,
 * remote port, secret), where M is a clock ticking every 4 microseconds and F is SipHash-2-4 keyed
 * with a 128-bit secret. Seeded instances make tests deterministic.
 */
public final class IsnGenerator {
    private final long k0;
    private final long k1;

    /** A generator with a secret from {@link SecureRandom}. */
    public IsnGenerator() {
        SecureRandom r = new SecureRandom();
        this.k0 = r.nextLong();
        this.k1 = r.nextLong();
    }

    /** A generator with a fixed secret, for reproducible tests. */
    public IsnGenerator(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    public int isn(int localAddr, int localPort, int remoteAddr, int remotePort, long nowNanos) {
        long m = nowNanos / 4000;
        long f = sipHash(((long) localAddr << 32) | (remoteAddr & 0xffffffffL),
                ((long) (localPort & 0xffff) << 16) | (remotePort & 0xffff));
        return (int) (m + f);
    }

    /** A keyed hash of two words, for other uses of the secret (ephemeral ports, timestamp offsets). */
    public long hash(long a, long b) {
        return sipHash(a, b);
    }

    /** A keyed hash of three words (SYN cookies: the four-tuple, the peer's ISN and the cookie's period). */
    public long hash(long a, long b, long c) {
        long[] v = start();
        absorb(v, a);
        absorb(v, b);
        absorb(v, c);
        return finish(v, 24);
    }

    /** SipHash-2-4 of the 16-byte message (a, b). */
    private long sipHash(long a, long b) {
        long[] v = start();
        absorb(v, a);
        absorb(v, b);
        return finish(v, 16);
    }

    private long[] start() {
        return new long[] {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
    }

    /** The last block (the message length in its top byte) and the finalization rounds. */
    private static long finish(long[] v, int length) {
        absorb(v, (long) length << 56);
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void absorb(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }
}
