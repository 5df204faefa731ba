package io.curriculum.detector.detect;

/** What the machine-speed rules report: an episode opened (the threshold was just crossed) or closed (final evidence). */
public record Signal(Rule rule, boolean open, Episode episode) {

    public enum Rule {
        BURST("burst"),
        CRAWL("crawl");

        private final String label;

        Rule(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
