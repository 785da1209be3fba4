package io.github.jnic.net.stack;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Waits on a condition: for stacks whose devices all wake it through callbacks (in-memory links). */
final class MonitorWaiter implements Waiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean pending;

    @Override public void await(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!pending && left > 0) left = woken.awaitNanos(left);
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override public void wake() {
        lock.lock();
        try {
            pending = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }
}
