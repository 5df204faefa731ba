package io.curriculum.app.deploy;

import io.curriculum.app.runtime.DetectorAcls;
import io.curriculum.cdc.ConnectorFile;
import io.curriculum.detector.config.DetectorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * The ACLs of the compose stack, built by {@link DetectorAcls} for its principals (the detector, which creates its own
 * topics there; the reviewer; the Connect worker of {@code connectors/mysql.json}), and their text as
 * {@code compose/kafka/init-security.sh} grants them: one {@code acl} line (its shell function around {@code kafka-acls
 * --add}) per principal and resource, with every operation on it.
 */
final class ComposeAcls {

    private ComposeAcls() {
    }

    /** The stack's ACLs: the detector's default configuration, the Connect group {@code connectGroup}. */
    static List<AclBinding> forStack(final Path root, final String connectGroup) {
        final DetectorConfig config = DetectorConfig.from(new Properties(), Map.of());
        final String schemaHistory = ConnectorFile.read(root.resolve("connectors/mysql.json")).config().get("schema.history.internal.kafka.topic");
        final List<AclBinding> acls = new ArrayList<>(DetectorAcls.detector(config, "User:detector"));
        acls.addAll(DetectorAcls.topicCreation(config, "User:detector"));
        acls.addAll(DetectorAcls.reviewer(config, "User:reviewer"));
        acls.addAll(DetectorAcls.connect(config, "User:connect", connectGroup, schemaHistory));
        return acls;
    }

    /** The lines of the script's ACL block, in the order of {@code acls}. */
    static String script(final List<AclBinding> acls) {
        final Map<String, List<String>> operations = new LinkedHashMap<>();
        for (final AclBinding acl : acls) {
            if (!"*".equals(acl.entry().host())) {
                throw new IllegalArgumentException("only ACLs for every host are written: " + acl);
            }
            final String resource = "acl --allow-principal " + acl.entry().principal() + " " + resource(acl.pattern());
            final List<String> ops = operations.computeIfAbsent(resource, key -> new ArrayList<>());
            final String operation = "--operation " + operation(acl.entry().operation().name());
            if (!ops.contains(operation)) {
                ops.add(operation);
            }
        }
        final StringBuilder script = new StringBuilder();
        operations.forEach((resource, ops) -> script.append(resource).append(' ').append(String.join(" ", ops)).append('\n'));
        return script.toString();
    }

    private static String resource(final ResourcePattern pattern) {
        final String option = switch (pattern.resourceType()) {
            case TOPIC -> "--topic " + pattern.name();
            case GROUP -> "--group " + pattern.name();
            case TRANSACTIONAL_ID -> "--transactional-id " + pattern.name();
            case CLUSTER -> "--cluster";
            default -> throw new IllegalArgumentException("no kafka-acls option for " + pattern);
        };
        if (pattern.patternType() == PatternType.LITERAL) {
            return option;
        }
        return option + " --resource-pattern-type " + pattern.patternType().name().toLowerCase(Locale.ROOT);
    }

    /** READ → Read, DESCRIBE_CONFIGS → DescribeConfigs: kafka-acls' spelling. */
    private static String operation(final String name) {
        final StringBuilder spelled = new StringBuilder();
        for (final String word : name.split("_")) {
            spelled.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return spelled.toString();
    }
}
