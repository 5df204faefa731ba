package io.curriculum.app.cli;

import io.curriculum.app.runtime.DetectorAcls;
import io.curriculum.detector.config.DetectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The principals of {@code run --secure} and their SCRAM passwords: {@code detector} (the detector itself, required),
 * {@code reviewer} (reads the suspicious-IP alerts, required: nobody else may read them) and {@code source} (writes the
 * two input topics, optional). Each password comes from the users file ({@code --scram-users FILE}, one
 * {@code name=password} per line) or else from its environment variable ({@link #VARIABLES}); never from code or the
 * repository. A missing one is refused with a message that names both places.
 */
final class SecurePrincipals {

    static final String DETECTOR = "detector";
    static final String REVIEWER = "reviewer";
    static final String SOURCE = "source";
    /** The environment variable that holds each principal's password when the users file does not. */
    static final Map<String, String> VARIABLES = orderedMap(
            DETECTOR, "DETECTOR_SCRAM_PASSWORD",
            REVIEWER, "REVIEWER_SCRAM_PASSWORD",
            SOURCE, "SOURCE_SCRAM_PASSWORD");
    private static final List<String> REQUIRED = List.of(DETECTOR, REVIEWER);

    private final Map<String, String> passwords;

    private SecurePrincipals(final Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Reads the passwords from {@code usersFile} (null: none) and then {@code environment}. */
    static SecurePrincipals read(final Path usersFile, final Map<String, String> environment) {
        final Map<String, String> fromFile = usersFile == null ? Map.of() : load(usersFile);
        final Map<String, String> passwords = new LinkedHashMap<>();
        for (final Map.Entry<String, String> principal : VARIABLES.entrySet()) {
            final String name = principal.getKey();
            final String password = fromFile.containsKey(name) ? fromFile.get(name) : environment.get(principal.getValue());
            if (password != null && !password.isEmpty()) {
                passwords.put(name, password);
            } else if (REQUIRED.contains(name)) {
                throw new UsageException("run --secure: no password for the " + name + " principal: set " + principal.getValue()
                        + (usersFile == null ? ", or pass --scram-users FILE with a line " : " or add a line to " + usersFile + ": ")
                        + name + "=<password>");
            }
        }
        return new SecurePrincipals(passwords);
    }

    private static Map<String, String> load(final Path file) {
        final Properties lines = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            lines.load(in);
        } catch (final NoSuchFileException e) {
            throw new UsageException("--scram-users " + file + ": no such file");
        } catch (final IOException e) {
            throw new UsageException("--scram-users " + file + ": cannot read it: " + e.getMessage());
        }
        final Map<String, String> users = new LinkedHashMap<>();
        for (final String name : lines.stringPropertyNames()) {
            if (!VARIABLES.containsKey(name)) {
                throw new UsageException("--scram-users " + file + ": unknown user '" + name + "' (run --secure knows "
                        + String.join(", ", VARIABLES.keySet()) + ")");
            }
            users.put(name, lines.getProperty(name));
        }
        return users;
    }

    /** Principal name → password, for the broker's SCRAM users. */
    Map<String, String> passwords() {
        return passwords;
    }

    String password(final String principal) {
        return passwords.get(principal);
    }

    /** The ACLs of every principal given a password, for the detector of {@code config}. */
    List<AclBinding> acls(final DetectorConfig config) {
        final List<AclBinding> acls = new ArrayList<>(DetectorAcls.detector(config, "User:" + DETECTOR));
        acls.addAll(DetectorAcls.reviewer(config, "User:" + REVIEWER));
        if (passwords.containsKey(SOURCE)) {
            acls.addAll(DetectorAcls.source(config, "User:" + SOURCE));
        }
        return acls;
    }

    /** One line per principal: who it is and what it may do. */
    List<String> describe(final DetectorConfig config) {
        final List<String> lines = new ArrayList<>();
        lines.add("User:" + DETECTOR + " (this detector): reads " + config.topics().logs() + ", " + config.topics().cohorts()
                + ", writes the alert and dead-letter topics, owns " + config.applicationId() + "*");
        lines.add("User:" + REVIEWER + ": reads " + config.topics().suspiciousIp() + " (consumer groups " + REVIEWER + "*)");
        if (passwords.containsKey(SOURCE)) {
            lines.add("User:" + SOURCE + ": writes " + config.topics().logs() + ", " + config.topics().cohorts());
        }
        return lines;
    }

    private static Map<String, String> orderedMap(final String... pairs) {
        final Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
