package io.curriculum.detector.topology;

/** The outcome of decoding one input record: exactly one of {@code value} and {@code rejected} is set. */
record Decoded<T>(T value, Rejected rejected) {

    static <T> Decoded<T> accepted(final T value) {
        return new Decoded<>(value, null);
    }

    static <T> Decoded<T> rejected(final Rejected rejected) {
        return new Decoded<>(null, rejected);
    }

    boolean isRejected() {
        return rejected != null;
    }
}
