package io.curriculum.app.runtime;

import io.curriculum.detector.config.DetectorConfig;
import io.curriculum.detector.config.TopicNames;
import io.curriculum.detector.topology.DetectorTopology;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of a secured cluster, least privilege for each principal:
 * <ul>
 *   <li>the detector reads its two inputs, writes its four outputs, reads back its three alert topics (the analysts'
 *   API lists the newest alerts), and owns everything named after its application id (a prefixed ACL): its internal
 *   topics (changelogs, repartitions, the cohort table by default), its consumer group and its transactional ids
 *   (exactly_once_v2);</li>
 *   <li>a reviewer reads the suspicious-IP topic, in consumer groups whose names start with its own name, and nothing else:
 *   it cannot write an alert;</li>
 *   <li>a source (what writes the page views and cohorts when no Connect worker of this process does: a loader, a
 *   connector elsewhere) writes the two input topics and nothing else: it reads no alert;</li>
 *   <li>a Kafka Connect worker running a Debezium connector writes the two input topics (the detector creates them
 *   first), creates, reads and writes its connector's schema history topic, and owns the topics and group named after its group id (its configs, offsets and statuses); it reads no
 *   alert and no detector state.</li>
 * </ul>
 * Any other principal, and any other operation, is refused by the {@code StandardAuthorizer} (no ACL, no access).
 */
public final class DetectorAcls {

    private DetectorAcls() {
    }

    /** What {@code principal} (e.g. {@code User:detector}) needs to run the detector of {@code config}. */
    public static List<AclBinding> detector(final DetectorConfig config, final String principal) {
        final TopicNames topics = config.topics();
        final List<AclBinding> acls = new ArrayList<>();
        for (final String input : List.of(topics.logs(), topics.cohorts())) {
            acls.add(allow(principal, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.READ));
        }
        // the rules topic: read by the detector, written by 'rules publish' with the detector's credentials
        acls.add(allow(principal, ResourceType.TOPIC, topics.rules(), PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, topics.rules(), PatternType.LITERAL, AclOperation.WRITE));
        for (final String output : List.of(topics.suspiciousIp(), topics.lessonBand(), topics.inactiveStudent(), topics.deadLetter(), topics.simulated())) {
            acls.add(allow(principal, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (final String alerts : List.of(topics.suspiciousIp(), topics.lessonBand(), topics.inactiveStudent())) {
            acls.add(allow(principal, ResourceType.TOPIC, alerts, PatternType.LITERAL, AclOperation.READ));
        }
        final String applicationId = config.applicationId();
        for (final String own : List.of(topics.cohortTable(), topics.rulesInForce())) {
            if (!own.startsWith(applicationId)) {
                acls.add(allow(principal, ResourceType.TOPIC, own, PatternType.LITERAL, AclOperation.ALL));
            }
        }
        for (final ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(allow(principal, type, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        }
        return acls;
    }

    /**
     * What {@code principal} needs on top of {@link #detector} to create the detector's topics itself, as {@code run}
     * does on a cluster where nobody created them first (the compose stack): CREATE on each topic of
     * {@link DetectorTopology#topicsToCreate} that its application-id prefix does not cover already. {@code run --secure}
     * does not grant it: there the broker's own principal creates the topics.
     */
    public static List<AclBinding> topicCreation(final DetectorConfig config, final String principal) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : DetectorTopology.topicsToCreate(config).keySet()) {
            if (!topic.startsWith(config.applicationId())) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
            }
        }
        return acls;
    }

    /** What {@code principal} needs to read the suspicious-IP alerts of {@code config}, and no more. */
    public static List<AclBinding> reviewer(final DetectorConfig config, final String principal) {
        final String user = principal.substring(principal.indexOf(':') + 1);
        return List.of(
                allow(principal, ResourceType.TOPIC, config.topics().suspiciousIp(), PatternType.LITERAL, AclOperation.READ),
                allow(principal, ResourceType.GROUP, user, PatternType.PREFIXED, AclOperation.READ));
    }

    /** What {@code principal} needs to write the page views and cohorts the detector of {@code config} reads, and no more. */
    public static List<AclBinding> source(final DetectorConfig config, final String principal) {
        return List.of(
                allow(principal, ResourceType.TOPIC, config.topics().logs(), PatternType.LITERAL, AclOperation.WRITE),
                allow(principal, ResourceType.TOPIC, config.topics().cohorts(), PatternType.LITERAL, AclOperation.WRITE));
    }

    /**
     * What {@code principal} needs to run a Kafka Connect worker of group {@code workerGroup} (its internal topics are
     * {@code <workerGroup>-configs}, {@code -offsets}, {@code -status}) with a Debezium connector that writes the input
     * topics of {@code config} and keeps its schema history in {@code schemaHistoryTopic} (null: a connector without
     * one), and no more.
     */
    public static List<AclBinding> connect(final DetectorConfig config, final String principal, final String workerGroup,
                                           final String schemaHistoryTopic) {
        final List<AclBinding> acls = new ArrayList<>();
        // WRITE implies DESCRIBE, which Connect's topic creation needs to see that the detector created the topics already
        for (final String input : List.of(config.topics().logs(), config.topics().cohorts())) {
            acls.add(allow(principal, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.WRITE));
        }
        // Debezium's schema history: created by the connector (with the broker's default replication factor, so no
        // DESCRIBE_CONFIGS on the cluster), written by its own producer, read back at every start
        for (final AclOperation operation : schemaHistoryTopic == null ? List.<AclOperation>of()
                : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE)) {
            acls.add(allow(principal, ResourceType.TOPIC, schemaHistoryTopic, PatternType.LITERAL, operation));
        }
        for (final ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
            acls.add(allow(principal, type, workerGroup, PatternType.PREFIXED, AclOperation.ALL));
        }
        return acls;
    }

    private static AclBinding allow(final String principal, final ResourceType type, final String name, final PatternType pattern,
                                    final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
