package io.curriculum.app.cli;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.app.runtime.LocalBroker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGINT/SIGTERM for a command that cleans up after itself: the shutdown hook interrupts the command's thread and
 * then waits (at most {@link #CLEANUP_TIMEOUT}) until the command has closed what it opened, so Streams, the
 * broker and temporary directories are closed and removed before the JVM exits instead of being cut off.
 *
 * <p>Register it before anything is opened and close it after everything is closed (try-with-resources): closing
 * it releases the hook's wait and unregisters the hook. The command's thread sees the signal as an interrupt
 * (an {@link InterruptedException}, or whatever an interrupted library call throws) and turns it into the exit
 * code with {@link #interrupted(Exception, PrintWriter)}.
 */
public final class ShutdownSignal implements AutoCloseable {

    /** Closing Streams, then the broker: the two bounded closes one after the other. */
    static final Duration CLEANUP_TIMEOUT = DetectorRuntime.CLOSE_TIMEOUT.plus(LocalBroker.CLOSE_TIMEOUT);

    private final String command;
    private final Thread worker;
    private final Thread hook;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private ShutdownSignal(final String command) {
        this.command = command;
        this.worker = Thread.currentThread();
        this.hook = new Thread(this::onSignal, command + "-shutdown");
    }

    /** Registers the hook for the calling thread, the command's. */
    public static ShutdownSignal register(final String command) {
        final ShutdownSignal signal = new ShutdownSignal(command);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    private void onSignal() {
        signalled.set(true);
        worker.interrupt();
        try {
            cleanedUp.await(CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once SIGINT or SIGTERM arrived. */
    boolean requested() {
        return signalled.get();
    }

    /** Blocks until SIGINT/SIGTERM, for a command that runs until then; returns with the interrupt consumed. */
    public void await() throws InterruptedException {
        final CountDownLatch never = new CountDownLatch(1);
        try {
            never.await();
        } catch (final InterruptedException e) {
            if (!requested()) {
                throw e;
            }
        }
    }

    /**
     * What the command's thread does with an exception: when a signal caused it, one line on stderr and exit code
     * 130 (the interrupt consumed, so the cleanup that follows is not cut short); otherwise it is rethrown as is.
     */
    public int interrupted(final Exception e, final PrintWriter err) throws Exception {
        if (!requested()) {
            throw e;
        }
        Thread.interrupted();
        err.println(command + ": interrupted (SIGINT/SIGTERM)");
        err.flush();
        return Failures.INTERRUPTED;
    }

    /** Everything is closed: lets the hook (if a signal came) return, or unregisters it. */
    @Override
    public void close() {
        cleanedUp.countDown();
        if (!requested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is shutting down already: the hook has nothing left to wait for
            }
        }
    }
}
