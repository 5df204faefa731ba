package io.curriculum.detector.detect;

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
 * Sets and maps are written in sorted order, so equal states have equal bytes.
 */
public final class ActivityStateCodec {

    private static final byte VERSION = 1;
    private static final long NONE = Long.MIN_VALUE;
    private static final int NO_COHORT = Integer.MIN_VALUE;

    private ActivityStateCodec() {
    }

    public static byte[] encode(final ActivityState state) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + state.burstWindow.size() * 32 + state.crawlPages.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(state.lastSeen);
            out.writeInt(state.burstWindow.size());
            for (final Hit hit : state.burstWindow) {
                writeHit(out, hit);
            }
            writeEpisode(out, state.burst);
            out.writeInt(state.crawlPages.size());
            for (final Map.Entry<Long, Long> page : new TreeMap<>(state.crawlPages).entrySet()) {
                out.writeLong(page.getKey());
                out.writeLong(page.getValue());
            }
            out.writeInt(state.slotIds.length);
            for (int i = 0; i < state.slotIds.length; i++) {
                out.writeLong(state.slotIds[i]);
                out.writeInt(state.slotCounts[i]);
            }
            out.writeInt(state.recentLessons.size());
            for (final String lesson : state.recentLessons) {
                out.writeUTF(lesson);
            }
            writeEpisode(out, state.crawl);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ActivityState decode(final byte[] data) {
        final ActivityState state = new ActivityState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("activity state of unknown version " + version);
            }
            state.lastSeen = in.readLong();
            final int hits = in.readInt();
            for (int i = 0; i < hits; i++) {
                state.burstWindow.add(readHit(in));
            }
            state.burst = readEpisode(in);
            final int pages = in.readInt();
            for (int i = 0; i < pages; i++) {
                state.crawlPages.put(in.readLong(), in.readLong());
            }
            final int slots = in.readInt();
            state.slotIds = new long[slots];
            state.slotCounts = new int[slots];
            for (int i = 0; i < slots; i++) {
                state.slotIds[i] = in.readLong();
                state.slotCounts[i] = in.readInt();
            }
            final int recent = in.readInt();
            for (int i = 0; i < recent; i++) {
                state.recentLessons.add(in.readUTF());
            }
            state.crawl = readEpisode(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    private static void writeHit(final DataOutputStream out, final Hit hit) throws IOException {
        out.writeLong(hit.time());
        out.writeUTF(hit.lesson());
        out.writeLong(hit.userId() == null ? NONE : hit.userId());
        out.writeInt(hit.cohortId() == null ? NO_COHORT : hit.cohortId());
        out.writeUTF(hit.role());
    }

    private static Hit readHit(final DataInputStream in) throws IOException {
        final long time = in.readLong();
        final String lesson = in.readUTF();
        final long user = in.readLong();
        final int cohort = in.readInt();
        final String role = in.readUTF();
        return new Hit(time, lesson, user == NONE ? null : user, cohort == NO_COHORT ? null : cohort, role);
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
        out.writeInt(episode.pages.size());
        for (final long page : new TreeSet<>(episode.pages)) {
            out.writeLong(page);
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

    private static Episode readEpisode(final DataInputStream in) throws IOException {
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
        final int pages = in.readInt();
        for (int i = 0; i < pages; i++) {
            episode.pages.add(in.readLong());
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
