package io.curriculum.detector.decode;

/** A change event the detector cannot use; carries the reason that the dead-letter record states. */
public final class InvalidRecordException extends RuntimeException {

    private final RejectReason reason;

    public InvalidRecordException(final RejectReason reason, final String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
