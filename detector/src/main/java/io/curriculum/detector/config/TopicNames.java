package io.curriculum.detector.config;

/** The names of every topic the detector reads or writes; {@code io.curriculum.detector.topology.Topics} adds their serdes. */
public record TopicNames(
        String logs,
        String cohorts,
        String suspiciousIp,
        String lessonBand,
        String inactiveStudent,
        String deadLetter,
        String cohortTable,
        String rules,
        String rulesInForce,
        String simulated) {
}
