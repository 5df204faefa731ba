package io.curriculum.detector.detect;

import java.util.Locale;
import java.util.Set;

/**
 * The one definition of a "lesson": a curriculum page, not an asset or an index. A logged path is
 * normalised by dropping any query or fragment, leading and trailing slashes, a trailing {@code .html} or
 * {@code .md}, and a final {@code index} segment, then lower-cased ({@code /Java-II/Arrays.html/} →
 * {@code java-ii/arrays}). It is not a lesson (the result is null) when it is the home page {@code /},
 * an asset (its last segment ends in an image, style, script, font, data or document extension, or it lies
 * in an {@code images/}, {@code img/}, {@code assets/} or {@code static/} folder at any depth), the site's
 * search page {@code search} or search index {@code search_index.json}, or a table of contents (a last
 * segment {@code toc}).
 */
public final class Lessons {

    private static final Set<String> ASSET_EXTENSIONS = Set.of(
            "jpg", "jpeg", "png", "gif", "svg", "ico", "webp", "bmp", "tif", "tiff",
            "css", "js", "map", "json", "xml", "txt", "csv", "zip", "gz",
            "woff", "woff2", "ttf", "eot", "otf", "pdf", "mp4", "mov", "mp3", "webm");
    private static final Set<String> ASSET_DIRECTORIES = Set.of("images", "img", "assets", "static");
    private static final Set<String> SITE_PAGES = Set.of("toc", "search", "index");

    private Lessons() {
    }

    /** The lesson a path shows, or null when the path is not a lesson. */
    public static String normalize(final String path) {
        if (path == null) {
            return null;
        }
        String p = path;
        final int cut = firstOf(p, '?', '#');
        if (cut >= 0) {
            p = p.substring(0, cut);
        }
        p = p.trim().toLowerCase(Locale.ROOT);
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        p = p.substring(start, end);
        if (p.endsWith(".html")) {
            p = p.substring(0, p.length() - 5);
        } else if (p.endsWith(".md")) {
            p = p.substring(0, p.length() - 3);
        }
        if (p.endsWith("/index")) {
            p = p.substring(0, p.length() - 6);
        }
        if (p.isEmpty()) {
            return null;
        }
        final int slash = p.lastIndexOf('/');
        final String last = p.substring(slash + 1);
        final int dot = last.lastIndexOf('.');
        if (dot >= 0 && ASSET_EXTENSIONS.contains(last.substring(dot + 1))) {
            return null;
        }
        if (SITE_PAGES.contains(p) || last.equals("toc") || last.startsWith("search_index")) {
            return null;
        }
        for (final String folder : p.split("/")) {
            if (ASSET_DIRECTORIES.contains(folder)) {
                return null;
            }
        }
        return p;
    }

    /** A 64-bit FNV-1a hash, so per-client state keeps 8 bytes per page rather than the path. */
    public static long hash(final String lesson) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < lesson.length(); i++) {
            h ^= lesson.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static int firstOf(final String s, final char a, final char b) {
        final int i = s.indexOf(a);
        final int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }
}
