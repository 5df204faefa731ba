package io.curriculum.detector.topology;

import io.curriculum.detector.rules.RuleSet;

/**
 * The rules in force, shared by the processors of one topology: the global rules processor ({@link RulesInForceProcessor})
 * sets a new {@link RuleSet} when a rule record arrives, and every detection processor compares the set it holds with
 * {@link #current()} at each record (one volatile read) and switches when it changed. No JSON, no store read per record.
 */
final class RuleBook {

    private volatile RuleSet current;

    RuleBook(final RuleSet initial) {
        this.current = initial;
    }

    RuleSet current() {
        return current;
    }

    void set(final RuleSet rules) {
        current = rules;
    }
}
