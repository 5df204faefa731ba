package io.curriculum.app.cli;

import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.IVersionProvider;

/** The application's version (from the jar manifest, when run from the jar) and the Kafka it runs on. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        final String own = Main.class.getPackage().getImplementationVersion();
        return new String[] {"detector " + (own == null ? "(development build)" : own), "Kafka " + AppInfoParser.getVersion()};
    }
}
