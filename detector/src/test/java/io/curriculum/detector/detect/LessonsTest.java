package io.curriculum.detector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LessonsTest {

    @Test
    void shouldStripLeadingAndTrailingSlashes() {
        // when
        final String lesson = Lessons.normalize("/java-ii/arrays/");

        // then
        assertThat(lesson).isEqualTo("java-ii/arrays");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/java-ii/arrays.html, java-ii/arrays",
            "/java-ii/arrays.md, java-ii/arrays",
            "/java-ii/arrays.html/, java-ii/arrays",
            "/java-ii/index, java-ii",
            "/java-ii/index.html, java-ii",
            "/java-ii/arrays/index.md, java-ii/arrays",
            "java-ii/arrays, java-ii/arrays"
    })
    void shouldStripHtmlAndMarkdownExtensionsAndTrailingIndex(final String path, final String expected) {
        // when
        final String lesson = Lessons.normalize(path);

        // then
        assertThat(lesson).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> java-ii/arrays")
    @ValueSource(strings = {
            "/java-ii/arrays?page=2",
            "/java-ii/arrays/?utm_source=mail&x=/y",
            "/java-ii/arrays.html?x=1",
            "/java-ii/arrays#loops",
            "/java-ii/arrays.html#loops?x=1"
    })
    void shouldDropQueryStringAndFragment(final String path) {
        // when
        final String lesson = Lessons.normalize(path);

        // then
        assertThat(lesson).isEqualTo("java-ii/arrays");
    }

    @Test
    void shouldLowerCasePath() {
        // when
        final String lesson = Lessons.normalize("/Java-II/Arrays.HTML/");

        // then
        assertThat(lesson).isEqualTo("java-ii/arrays");
    }

    @ParameterizedTest(name = "home page \"{0}\" is not a lesson")
    @NullAndEmptySource
    @ValueSource(strings = {"/", "//", "/index.html", "/index"})
    void shouldReturnNullForHomePage(final String path) {
        // when / then
        assertThat(Lessons.normalize(path)).isNull();
    }

    @ParameterizedTest(name = "image {0} is not a lesson")
    @ValueSource(strings = {
            "/java-ii/diagram.jpg",
            "/java-ii/diagram.jpeg",
            "/java-ii/diagram.png",
            "/java-ii/diagram.svg",
            "/java-ii/diagram.gif",
            "/java-ii/DIAGRAM.PNG",
            "/java-ii/diagram.png?v=3"
    })
    void shouldReturnNullForImages(final String path) {
        // when / then
        assertThat(Lessons.normalize(path)).isNull();
    }

    @ParameterizedTest(name = "index page {0} is not a lesson")
    @ValueSource(strings = {"/search/search_index.json", "search/search_index.json", "/toc", "/java-ii/toc", "/toc.html"})
    void shouldReturnNullForSearchIndexAndTableOfContents(final String path) {
        // when / then
        assertThat(Lessons.normalize(path)).isNull();
    }

    @ParameterizedTest(name = "asset folder {0} is not a lesson")
    @ValueSource(strings = {"/java-ii/assets/slides", "/static/app", "/fundamentals/img/git", "/search"})
    void shouldReturnNullForAssetFoldersAtAnyDepthAndTheSearchPage(final String path) {
        assertThat(Lessons.normalize(path)).isNull();
    }

    @Test
    void shouldKeepALessonThatIsMerelyNamedSearch() {
        assertThat(Lessons.normalize("/algorithms/search/")).isEqualTo("algorithms/search");
    }

    @ParameterizedTest(name = "{0} under images/ is not a lesson")
    @ValueSource(strings = {"/images/logo", "/images/java-ii/arrays", "/java-ii/images/arrays", "/images/"})
    void shouldReturnNullForPathsUnderImages(final String path) {
        // when / then
        assertThat(Lessons.normalize(path)).isNull();
    }

    @Test
    void shouldHashWithSixtyFourBitFnv1a() {
        // when / then: reference values of 64-bit FNV-1a
        assertThat(Lessons.hash("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(Lessons.hash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(Lessons.hash("java-ii/arrays")).isEqualTo(0xc9bf7d90d811da71L);
    }

    @Test
    void shouldHashSameLessonStablyAndDifferentLessonsDifferently() {
        // given
        final String arrays = Lessons.normalize("/java-ii/arrays/");
        final String sameArrays = Lessons.normalize("/Java-II/arrays.html?x=1");
        final String loops = Lessons.normalize("/java-ii/loops");

        // when
        final long first = Lessons.hash(arrays);
        final long second = Lessons.hash(sameArrays);
        final long other = Lessons.hash(loops);

        // then
        assertThat(first).isEqualTo(second).isEqualTo(Lessons.hash("java-ii/arrays"));
        assertThat(other).isNotEqualTo(first);
        assertThat(Lessons.hash("java-ii/arrays-ii")).isNotEqualTo(first);
    }
}
