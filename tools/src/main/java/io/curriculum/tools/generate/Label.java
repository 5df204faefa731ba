package io.curriculum.tools.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One injected anomaly and what the detector should make of it; a line of the labels file.
 * <ul>
 *   <li>{@code expect}: {@code alert} (the detector with default settings must raise {@code rule} at
 *   {@code scope}) or {@code none} (a hard negative: no machine-speed alert for {@code ip}, or for
 *   {@code userId} on {@code ip}, in {@code from..to}; or a kind the detector does not judge yet).</li>
 *   <li>{@code rule}: {@code burst}, {@code crawl}, {@code band-spike}, {@code band-drop}; for a hard negative
 *   the rule it must not trip ({@code burst}); null for {@code inactive-student} and {@code lesson-overuse}.</li>
 *   <li>{@code scope}: {@code ip}, {@code client} or {@code user} (then {@code ip} is null: the account used
 *   several) for machine-speed labels; null for band labels.</li>
 *   <li>{@code from}, {@code to}: the first and last injected request (campus time in the campus zone, as
 *   UTC instants); for band labels the campus day's start and end.</li>
 *   <li>{@code lesson}: the lesson in the detector's normal form ({@code Lessons.normalize}), band and over-use labels
 *   only; for a band label, {@code programId} with it names the band series {@code <programId>|<lesson>}; for
 *   {@code lesson-overuse}, the lesson that {@code cohortId} over-reads.</li>
 *   <li>{@code rows}: requests injected for the anomaly (for a drop, 0: its rows were taken away).</li>
 * </ul>
 * Null fields are omitted from the file ({@code ip}, {@code userId}, {@code cohortId}, {@code programId},
 * {@code lesson}, {@code rule}, {@code scope} where they do not apply); reading treats a missing field as null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "kind", "expect", "rule", "scope", "ip", "userId", "cohortId", "programId", "lesson", "from", "to", "rows"})
public record Label(String id, AnomalyKind kind, String expect, String rule, String scope, String ip, Integer userId,
                    Integer cohortId, Integer programId, String lesson, Instant from, Instant to, long rows) {

    public static final String ALERT = "alert";
    public static final String NONE = "none";

    public boolean expectsAlert() {
        return ALERT.equals(expect);
    }
}
