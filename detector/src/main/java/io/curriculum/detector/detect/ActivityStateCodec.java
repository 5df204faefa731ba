package io.curriculum.detector.detect;

import io.curriculum.detector.serde.FormatVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compact binary form of {@link ActivityState} for the state stores (JSON would dominate the cost per record).
 * Sets and maps are written in sorted order, so equal states have equal bytes. Version 2 adds each request's
 * address, the crawl window's addresses, one slot ring per crawl scale, the per-key closed-up-to times and the
 * episode's scale, opening pace and addresses; version 1 (one crawl ring, no addresses) is still read.
 */
public final class ActivityStateCodec {

    private static final FormatVersion FORMAT = new FormatVersion("activity state", 1, 2);
    private static final long NONE = Long.MIN_VALUE;
    private static final int NO_COHORT = Integer.MIN_VALUE;

    private ActivityStateCodec() {
    }

    public static byte[] encode(final ActivityState state) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + state.burstWindow.size() * 40 + state.crawlPages.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            FORMAT.write(out);
            out.writeLong(state.lastSeen);
            out.writeInt(state.burstWindow.size());
            for (final Hit hit : state.burstWindow) {
                writeHit(out, hit);
            }
            writeEpisode(out, state.burst);
            out.writeLong(state.burstClosedUpTo);
            out.writeInt(state.crawlPages.size());
            for (final Map.Entry<Long, Long> page : new TreeMap<>(state.crawlPages).entrySet()) {
                out.writeLong(page.getKey());
                out.writeLong(page.getValue());
            }
            out.writeInt(state.crawlIps.size());
            for (final Map.Entry<String, Long> ip : new TreeMap<>(state.crawlIps).entrySet()) {
                out.writeUTF(ip.getKey());
                out.writeLong(ip.getValue());
            }
            out.writeInt(state.slotIds.length);
            for (int s = 0; s < state.slotIds.length; s++) {
                final int slots = state.slotIds[s] == null ? 0 : state.slotIds[s].length;
                out.writeInt(slots);
                for (int i = 0; i < slots; i++) {
                    out.writeLong(state.slotIds[s][i]);
                    out.writeInt(state.slotCounts[s][i]);
                }
            }
            out.writeInt(state.recentLessons.size());
            for (final String lesson : state.recentLessons) {
                out.writeUTF(lesson);
            }
            writeEpisode(out, state.crawl);
            out.writeLong(state.crawlClosedUpTo);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ActivityState decode(final byte[] data) {
        final ActivityState state = new ActivityState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            final boolean v2 = FORMAT.read(in) == 2;
            state.lastSeen = in.readLong();
            final int hits = in.readInt();
            for (int i = 0; i < hits; i++) {
                state.burstWindow.add(readHit(in, v2));
            }
            state.burst = readEpisode(in, v2);
            state.burstClosedUpTo = v2 ? in.readLong() : ActivityState.NEVER;
            final int pages = in.readInt();
            for (int i = 0; i < pages; i++) {
                state.crawlPages.put(in.readLong(), in.readLong());
            }
            final int ips = v2 ? in.readInt() : 0;
            for (int i = 0; i < ips; i++) {
                state.crawlIps.put(in.readUTF(), in.readLong());
            }
            final int rings = v2 ? in.readInt() : 1;
            state.slotIds = new long[rings][];
            state.slotCounts = new int[rings][];
            for (int s = 0; s < rings; s++) {
                final int slots = in.readInt();
                state.slotIds[s] = new long[slots];
                state.slotCounts[s] = new int[slots];
                for (int i = 0; i < slots; i++) {
                    state.slotIds[s][i] = in.readLong();
                    state.slotCounts[s][i] = in.readInt();
                }
            }
            final int recent = in.readInt();
            for (int i = 0; i < recent; i++) {
                state.recentLessons.add(in.readUTF());
            }
            state.crawl = readEpisode(in, v2);
            state.crawlClosedUpTo = v2 ? in.readLong() : ActivityState.NEVER;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    private static void writeHit(final DataOutputStream out, final Hit hit) throws IOException {
        out.writeLong(hit.time());
        out.writeUTF(hit.lesson());
        writeNullable(out, hit.ip());
        out.writeLong(hit.userId() == null ? NONE : hit.userId());
        out.writeInt(hit.cohortId() == null ? NO_COHORT : hit.cohortId());
        out.writeUTF(hit.role());
    }

    private static Hit readHit(final DataInputStream in, final boolean v2) throws IOException {
        final long time = in.readLong();
        final String lesson = in.readUTF();
        final String ip = v2 ? readNullable(in) : null;
        final long user = in.readLong();
        final int cohort = in.readInt();
        final String role = in.readUTF();
        return new Hit(time, lesson, ip, user == NONE ? null : user, cohort == NO_COHORT ? null : cohort, role);
    }

    private static void writeNullable(final DataOutputStream out, final String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readNullable(final DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeEpisode(final DataOutputStream out, final Episode episode) throws IOException {
        out.writeBoolean(episode != null);
        if (episode == null) {
            return;
        }
        out.writeLong(episode.keyTime);
        out.writeLong(episode.start);
        out.writeLong(episode.end);
        out.writeLong(episode.detectedAt);
        out.writeLong(episode.lastHot);
        out.writeLong(episode.requests);
        out.writeInt(episode.scale);
        out.writeInt(episode.openPages);
        out.writeLong(episode.openSpan);
        writeNullable(out, episode.detectedIp);
        out.writeInt(episode.pages.size());
        for (final long page : new TreeSet<>(episode.pages)) {
            out.writeLong(page);
        }
        out.writeInt(episode.ips.size());
        for (final String ip : episode.ips) {
            out.writeUTF(ip);
        }
        out.writeInt(episode.users.size());
        for (final long user : episode.users) {
            out.writeLong(user);
        }
        out.writeInt(episode.cohorts.size());
        for (final int cohort : episode.cohorts) {
            out.writeInt(cohort);
        }
        out.writeInt(episode.roles.size());
        for (final String role : episode.roles) {
            out.writeUTF(role);
        }
        out.writeInt(episode.sample.size());
        for (final String lesson : episode.sample) {
            out.writeUTF(lesson);
        }
    }

    private static Episode readEpisode(final DataInputStream in, final boolean v2) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        final Episode episode = new Episode();
        episode.keyTime = in.readLong();
        episode.start = in.readLong();
        episode.end = in.readLong();
        episode.detectedAt = in.readLong();
        episode.lastHot = in.readLong();
        episode.requests = in.readLong();
        if (v2) {
            episode.scale = in.readInt();
            episode.openPages = in.readInt();
            episode.openSpan = in.readLong();
            episode.detectedIp = readNullable(in);
        }
        final int pages = in.readInt();
        for (int i = 0; i < pages; i++) {
            episode.pages.add(in.readLong());
        }
        if (v2) {
            final int ips = in.readInt();
            for (int i = 0; i < ips; i++) {
                episode.ips.add(in.readUTF());
            }
        }
        final int users = in.readInt();
        for (int i = 0; i < users; i++) {
            episode.users.add(in.readLong());
        }
        final int cohorts = in.readInt();
        for (int i = 0; i < cohorts; i++) {
            episode.cohorts.add(in.readInt());
        }
        final int roles = in.readInt();
        for (int i = 0; i < roles; i++) {
            episode.roles.add(in.readUTF());
        }
        final int sample = in.readInt();
        for (int i = 0; i < sample; i++) {
            episode.sample.add(in.readUTF());
        }
        return episode;
    }
}
