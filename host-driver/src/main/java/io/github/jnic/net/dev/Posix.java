package io.github.jnic.net.dev;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

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
    /** Returns bytes read, or -1 (EAGAIN when non-blocking and empty). */
    public static native long read(int fd, byte[] buf, long count);
    /**
     * Into native memory: for the data path, since a {@code byte[]} argument costs JNA a malloc and
     * a copy of the whole array each way.
     */
    public static native long read(int fd, Pointer buf, long count);
    public static native long write(int fd, Pointer buf, long count);
    public static native long write(int fd, byte[] buf, long count);
    /** {@code iov}: an array of {@code iovcnt} struct iovec (base pointer, length). */
    public static native long writev(int fd, Pointer iov, int iovcnt);
    public static native int eventfd(int initval, int flags) throws LastErrorException;
    /** {@code fds}: an array of struct pollfd; {@code timeout}: a struct timespec, or null for forever. */
    public static native int ppoll(Pointer fds, long nfds, Pointer timeout, Pointer sigmask);
    public static native String strerror(int errnum);
}
