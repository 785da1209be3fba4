package io.github.jnic.net.stack;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.jnic.net.dev.Posix;

/**
 * Waits in ppoll(2) on the devices' descriptors (TAP) plus an eventfd that other threads write to
 * wake the stack (a system call, so only while the runner is {@linkplain #arm armed}).
 * Sub-millisecond timeouts, no busy loop.
 */
final class DescriptorWaiter implements Waiter {
    private final int eventFd;
    private final Memory fds;
    private final int count;
    private final Memory timeout = new Memory(16);
    private final Memory drain = new Memory(8);
    private final Memory one = new Memory(8);
    private volatile boolean armed;

    DescriptorWaiter(int[] deviceFds) {
        this.eventFd = Posix.eventfd(0, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        this.count = deviceFds.length + 1;
        this.fds = new Memory(8L * count);
        fds.clear();
        setFd(0, eventFd);
        for (int i = 0; i < deviceFds.length; i++) setFd(i + 1, deviceFds[i]);
        one.setLong(0, 1);
    }

    private void setFd(int i, int fd) {
        fds.setInt(8L * i, fd);
        fds.setShort(8L * i + 4, Posix.POLLIN);
    }

    @Override public void await(long nanos) {
        timeout.setLong(0, nanos / 1_000_000_000L);
        timeout.setLong(8, nanos % 1_000_000_000L);
        for (int i = 0; i < count; i++) fds.setShort(8L * i + 6, (short) 0);
        Posix.ppoll(fds, count, timeout, null);
        if ((fds.getShort(6) & Posix.POLLIN) != 0) Posix.read(eventFd, Pointer.nativeValue(drain), 8);
    }

    @Override public void arm() { armed = true; }

    @Override public void disarm() { armed = false; }

    /** Writes the eventfd only when the runner may sleep: a busy runner sees the request at its next poll. */
    @Override public void wake() {
        if (armed) Posix.write(eventFd, Pointer.nativeValue(one), 8);
    }

    @Override public void close() {
        Posix.close(eventFd);
    }
}
