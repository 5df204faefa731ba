package io.curriculum.tools.explain;

import io.curriculum.detector.model.MachineSpeedAlert;
import java.time.Instant;
import java.util.List;

/**
 * Why the machine-speed rules flagged (or did not flag) an address or a user, over {@code from..to}: the requests they
 * saw ({@code requests}, at most as many as asked for, {@code requestsLeftOut} more in the range), every scale's peak per
 * scope ({@link ScopePeaks}), and the alerts the rules raised for those keys in the range ({@link RaisedAlert}), as a
 * replay of the same file raises them.
 *
 * @param subject       what was asked about: {@code ip 203.0.113.9}, {@code user 417}, or an alert id
 * @param zone          the campus zone, in which the text output shows times
 * @param requestsInRange every request of the subject in the range, lesson or not
 * @param rejectedRows  rows of the subject the detector dead-letters (shown among the requests, with the reason)
 */
public record MachineSpeedExplanation(String file, String subject, String zone, Instant from, Instant to, long requestsInRange,
                                      long lessonRequestsInRange, long rejectedRows, List<Request> requests, long requestsLeftOut,
                                      List<ScopePeaks> scopes, List<RaisedAlert> alerts) {

    /**
     * One request of the subject: {@code lesson} as the rules count it (null: not a lesson page, not judged);
     * {@code note} says why a request was not judged ({@code not a lesson}, {@code allowlisted}, or the reason it is
     * dead-lettered), null when it was.
     */
    public record Request(Instant time, String path, Long userId, Integer cohortId, String ip, String lesson, String note) {
    }

    /** The peaks of every scale at one scope, over the {@code keys} of that scope the subject had (e.g. each user on an address). */
    public record ScopePeaks(String scope, int keys, List<ScalePeak> peaks) {
    }

    /** One alert: the record that opened it (the window that crossed) and its latest record (a replay's {@code --alerts-out} line). */
    public record RaisedAlert(MachineSpeedAlert opened, MachineSpeedAlert latest) {
    }
}
