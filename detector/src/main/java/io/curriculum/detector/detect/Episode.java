package io.curriculum.detector.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The evidence of one machine-speed episode: from the request that opened it (when a window of one scale crossed its
 * threshold) to the last request while the rule stayed over a threshold; which scale fired first, and the addresses,
 * users, cohorts and roles seen.
 */
public final class Episode {

    static final int SAMPLE_SIZE = 10;

    /** The start of the evidence when the episode opened: the alert key's time, fixed even if earlier rows join later. */
    long keyTime;
    long start;
    long end;
    long detectedAt;
    long lastHot;
    long requests;
    /** Index of the rule's scale whose threshold the episode crossed first. */
    int scale;
    /** Distinct pages and span of the window that crossed, when the episode opened: the pace seen. */
    int openPages;
    long openSpan;
    /** The address of the request that crossed the threshold (null when it had none). */
    String detectedIp;
    final Set<Long> pages = new HashSet<>();
    final TreeSet<String> ips = new TreeSet<>();
    final TreeSet<Long> users = new TreeSet<>();
    final TreeSet<Integer> cohorts = new TreeSet<>();
    final TreeSet<String> roles = new TreeSet<>();
    final List<String> sample = new ArrayList<>();

    void add(final Hit hit) {
        start = requests == 0 ? hit.time() : Math.min(start, hit.time());
        end = requests == 0 ? hit.time() : Math.max(end, hit.time());
        requests++;
        if (pages.add(Lessons.hash(hit.lesson())) && sample.size() < SAMPLE_SIZE) {
            sample.add(hit.lesson());
        }
        see(hit);
    }

    /** Records who made the request: address, user, cohort and role. */
    void see(final Hit hit) {
        if (hit.ip() != null) {
            ips.add(hit.ip());
        }
        if (hit.userId() != null) {
            users.add(hit.userId());
        }
        if (hit.cohortId() != null) {
            cohorts.add(hit.cohortId());
        }
        roles.add(hit.role());
    }

    /** The episode opens with the request that crossed the threshold of {@code scaleIndex}. */
    Signal open(final Signal.Rule rule, final Hit hit, final int scaleIndex) {
        keyTime = start;
        detectedAt = hit.time();
        lastHot = hit.time();
        scale = scaleIndex;
        openPages = pages.size();
        openSpan = end - start;
        detectedIp = hit.ip();
        return new Signal(rule, true, this);
    }

    /** A request while the key is still over a threshold belongs to the episode. */
    void extend(final Hit hit) {
        add(hit);
        lastHot = Math.max(lastHot, hit.time());
    }

    public long keyTime() {
        return keyTime;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long detectedAt() {
        return detectedAt;
    }

    public String detectedIp() {
        return detectedIp;
    }

    public long requests() {
        return requests;
    }

    public int distinctPages() {
        return pages.size();
    }

    /** Index, in its rule's settings, of the scale that fired. */
    public int scale() {
        return scale;
    }

    /** Seconds per new page in the window that crossed the threshold (its span over its distinct pages). */
    public double secondsPerPageAtOpen() {
        return openPages == 0 ? 0 : openSpan / 1000.0 / openPages;
    }

    /** Seconds per new page over the whole evidence. */
    public double secondsPerPage() {
        return pages.isEmpty() ? 0 : (end - start) / 1000.0 / pages.size();
    }

    public List<String> ips() {
        return List.copyOf(ips);
    }

    public List<Long> users() {
        return List.copyOf(users);
    }

    public List<Integer> cohorts() {
        return List.copyOf(cohorts);
    }

    public List<String> roles() {
        return List.copyOf(roles);
    }

    public List<String> sample() {
        return List.copyOf(sample);
    }
}
