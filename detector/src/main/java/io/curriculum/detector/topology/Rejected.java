package io.curriculum.detector.topology;

import io.curriculum.detector.decode.RejectReason;

/** An input record the detector cannot use, on its way to the dead-letter topic with its original bytes. */
record Rejected(RejectReason reason, String detail, String topic, int partition, long offset, byte[] value) {
}
