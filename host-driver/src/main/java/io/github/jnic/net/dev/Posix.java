package io.github.jnic.net.dev;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/** The few Linux system calls the devices and the stack runner need, bound directly through JNA. */
public final class Posix {
    private Posix() {}

    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final short POLLIN = 1;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;

    private static volatile Throwable loadError;

    static {
        try {
            Native.register(Posix.class, Platform.C_LIBRARY_NAME);
        } catch (Throwable t) {
            loadError = t;
        }
    }

    /** Throws a clear error if the C library could not be bound (not Linux, or JNA missing). */
    public static void requireAvailable() {
        if (loadError != null) throw new UnsupportedOperationException("native calls unavailable: " + loadError, loadError);
    }

    public static native int open(String path, int flags) throws LastErrorException;
    public static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;
    /** ioctl whose argument is a value, not a pointer (TUNSETOFFLOAD). */
    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;
    public static native int close(int fd);
    // The data path passes native addresses as plain longs: JNA's cheapest call, with no argument
    // conversion (a Pointer is a field read through JNI, an array a malloc and a copy each way).
    /** Reads into native memory at {@code buf}; returns bytes read, or -1 (EAGAIN when non-blocking and empty). */
    public static native long read(int fd, long buf, long count);
    public static native long write(int fd, long buf, long count);
    /** {@code iov}: the address of {@code iovcnt} struct iovec (base address, length). */
    public static native long writev(int fd, long iov, int iovcnt);
    public static native int eventfd(int initval, int flags) throws LastErrorException;
    /** {@code fds}: an array of struct pollfd; {@code timeout}: a struct timespec, or null for forever. */
    public static native int ppoll(Pointer fds, long nfds, Pointer timeout, Pointer sigmask);
    public static native String strerror(int errnum);
    public static native int socket(int domain, int type, int protocol) throws LastErrorException;
    /** {@code addr}: a struct sockaddr (here sockaddr_ll) of {@code len} bytes. */
    public static native int bind(int fd, byte[] addr, int len) throws LastErrorException;
    public static native int if_nametoindex(String name);
    /** Non-blocking with {@code MSG_DONTWAIT}: returns bytes, or -1 (EAGAIN when nothing is there). */
    public static native long recv(int fd, long buf, long len, int flags);
    public static native long send(int fd, long buf, long len, int flags);

    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int MSG_DONTWAIT = 0x40;

    /** The native address of a direct buffer's first byte. */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("not a direct buffer");
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
