package io.curriculum.detector.topology;

/**
 * The newest event time that at least two different keys have reached. It drives the machine-speed sweep (closing
 * episodes of keys that went quiet, dropping idle keys), so one key with a skewed clock, a day ahead, cannot close
 * everyone else's episodes or drop their state: that takes a second key at that time. It only ever moves forward,
 * and only with the input, so a replay sweeps at the same points every time.
 */
final class AgreedClock {

    private long newest = Long.MIN_VALUE;
    private String newestKey;
    private long agreed = Long.MIN_VALUE;

    void see(final String key, final long time) {
        if (key.equals(newestKey)) {
            newest = Math.max(newest, time);
        } else if (time > newest) {
            agreed = Math.max(agreed, newest);
            newest = time;
            newestKey = key;
        } else {
            agreed = Math.max(agreed, time);
        }
    }

    /** The second-newest time over distinct keys; {@code Long.MIN_VALUE} until two keys were seen. */
    long time() {
        return agreed;
    }
}
