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

    /** SipHash-2-4 of the 16-byte message (a, b). */
    private long sipHash(long a, long b) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long[] v = {v0, v1, v2, v3};
        absorb(v, a);
        absorb(v, b);
        absorb(v, 16L << 56);
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
