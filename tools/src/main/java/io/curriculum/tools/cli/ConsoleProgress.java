package io.curriculum.tools.cli;

import io.curriculum.tools.history.BadLine;
import io.curriculum.tools.replay.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a replay's progress on stderr: on a terminal, one bar redrawn in place with rows/s; elsewhere (a log, CI),
 * a line every ten seconds. The first bad lines are shown with their line numbers, the rest only counted.
 */
class ConsoleProgress implements ProgressListener {

    private static final int BAD_LINES_SHOWN = 10;
    private static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final AtomicLong badLines = new AtomicLong();
    private long started = System.nanoTime();
    private long lastLine;
    private boolean barShown;

    ConsoleProgress(final PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public void badLine(final BadLine line) {
        final long n = badLines.incrementAndGet();
        if (n <= BAD_LINES_SHOWN) {
            print("bad line skipped: " + line);
        } else if (n == BAD_LINES_SHOWN + 1) {
            print("more bad lines: counted, not shown (see the summary)");
        }
    }

    @Override
    public synchronized void phase(final String description) {
        print(description + " ...");
        if (description.startsWith("replaying")) {
            started = System.nanoTime();
        }
    }

    @Override
    public synchronized void progress(final long produced, final long processed, final long total, final int alerts) {
        final double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        final double fraction = total > 0 ? Math.min(1.0, processed / (double) total) : 0;
        final String text = String.format(Locale.ROOT, "%3.0f%% %s/%s rows processed | read %,.0f rows/s, detected %,.0f rows/s | %,d alerts",
                fraction * 100, thousands(processed), total > 0 ? thousands(total) : "?", produced / seconds, processed / seconds, alerts);
        if (terminal) {
            final int filled = (int) Math.round(fraction * WIDTH);
            err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text + "  ");
            err.flush();
            barShown = true;
        } else if (System.nanoTime() - lastLine > LINE_EVERY_NANOS || (total > 0 && processed >= total)) {
            lastLine = System.nanoTime();
            err.println("progress: " + text);
            err.flush();
        }
    }

    /** Prints a line on stderr, first ending the progress bar's line if one is shown. */
    synchronized void print(final String line) {
        print(err, line);
    }

    /** Prints a line on {@code to} (stdout, for what the command reports), first ending the progress bar's line if one is shown. */
    synchronized void print(final PrintWriter to, final String line) {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
        to.println(line);
        to.flush();
    }

    private static String thousands(final long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
