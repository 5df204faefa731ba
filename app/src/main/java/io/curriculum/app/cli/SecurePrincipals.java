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
 * {@code reviewer} (reads the suspicious-IP alerts, required: nobody else may read them), {@code source} (writes the
 * two input topics, optional) and {@code connect} (the in-process Connect worker and its Debezium connectors, required
 * with {@code --cdc} only). Each password comes from the users file ({@code --scram-users FILE}, one
 * {@code name=password} per line) or else from its environment variable ({@link #VARIABLES}); never from code or the
 * repository. A missing one is refused with a message that names both places.
 */
final class SecurePrincipals {

    static final String DETECTOR = "detector";
    static final String REVIEWER = "reviewer";
    static final String SOURCE = "source";
    static final String CONNECT = "connect";
    /** The environment variable that holds each principal's password when the users file does not. */
    static final Map<String, String> VARIABLES = orderedMap(
            DETECTOR, "DETECTOR_SCRAM_PASSWORD",
            REVIEWER, "REVIEWER_SCRAM_PASSWORD",
            SOURCE, "SOURCE_SCRAM_PASSWORD",
            CONNECT, "CONNECT_SCRAM_PASSWORD");
    private static final List<String> REQUIRED = List.of(DETECTOR, REVIEWER);

    private final Map<String, String> passwords;
    private final List<ConnectScope> connect;

    private SecurePrincipals(final Map<String, String> passwords, final List<ConnectScope> connect) {
        this.passwords = Map.copyOf(passwords);
        this.connect = List.copyOf(connect);
    }

    /** What the Connect worker of {@code --cdc} works on: its group (and internal topics) and a connector's schema history topic. */
    record ConnectScope(String workerGroup, String schemaHistoryTopic) {
    }

    /**
     * Reads the passwords from {@code usersFile} (null: none) and then {@code environment}; with {@code connect} not empty
     * (one scope per connector of {@code --cdc}) the Connect worker's password is required too.
     */
    static SecurePrincipals read(final Path usersFile, final Map<String, String> environment, final List<ConnectScope> connect) {
        final List<String> required = new ArrayList<>(REQUIRED);
        if (!connect.isEmpty()) {
            required.add(CONNECT);
        }
        final Map<String, String> fromFile = usersFile == null ? Map.of() : load(usersFile);
        final Map<String, String> passwords = new LinkedHashMap<>();
        for (final Map.Entry<String, String> principal : VARIABLES.entrySet()) {
            final String name = principal.getKey();
            final String password = fromFile.containsKey(name) ? fromFile.get(name) : environment.get(principal.getValue());
            if (password != null && !password.isEmpty()) {
                passwords.put(name, password);
            } else if (required.contains(name)) {
                throw new UsageException("run --secure: no password for the " + name + " principal: set " + principal.getValue()
                        + (usersFile == null ? ", or pass --scram-users FILE with a line " : " or add a line to " + usersFile + ": ")
                        + name + "=<password>");
            }
        }
        if (connect.isEmpty()) {
            passwords.remove(CONNECT); // no worker, no principal
        }
        return new SecurePrincipals(passwords, connect);
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
        for (final ConnectScope scope : connect) {
            acls.addAll(DetectorAcls.connect(config, "User:" + CONNECT, scope.workerGroup(), scope.schemaHistoryTopic()));
        }
        return acls.stream().distinct().toList();
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
        for (final ConnectScope scope : connect) {
            lines.add("User:" + CONNECT + " (the Connect worker of --cdc): writes " + config.topics().logs() + ", " + config.topics().cohorts()
                    + (scope.schemaHistoryTopic() == null ? "" : " and " + scope.schemaHistoryTopic()) + ", owns " + scope.workerGroup() + "*");
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
