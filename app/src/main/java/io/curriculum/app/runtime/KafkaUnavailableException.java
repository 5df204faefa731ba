package io.curriculum.app.runtime;

/** The Kafka cluster could not be reached or refused what the application needs; the message says what to check. */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
