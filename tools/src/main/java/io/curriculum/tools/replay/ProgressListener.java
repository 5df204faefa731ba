package io.curriculum.tools.replay;

import io.curriculum.app.runtime.DetectorRuntime;
import io.curriculum.detector.model.AlertRecord;
import io.curriculum.tools.history.BadLine;

/** What a replay tells while it runs; every method may be called from the replay's threads. */
public interface ProgressListener {

    /** A line of the history file that is not a request (skipped, counted). */
    default void badLine(final BadLine line) {
    }

    /**
     * Rows produced and processed so far, out of {@code total} rows expected (the file's lines less its header,
     * blank lines and the bad lines found so far; -1 when unknown); alerts seen so far.
     */
    default void progress(final long produced, final long processed, final long total, final int alerts) {
    }

    /** An alert record as it arrives (open, then closed under the same id). */
    default void alert(final String topic, final AlertRecord alert) {
    }

    /** The replay's detector has started (for whoever serves its metrics). */
    default void started(final DetectorRuntime runtime) {
    }

    /** A phase of the replay begins (e.g. "loading cohorts"). */
    default void phase(final String description) {
    }
}
