package io.curriculum.cdc;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * The {@code ${env:NAME}} provider of the in-process worker: the process environment, as Kafka's
 * {@link EnvVarConfigProvider} reads it, plus the variables the worker defines itself (its parameters,
 * {@code config.providers.env.param.NAME=value}), which win. A production Connect worker maps the alias {@code env} to
 * {@link EnvVarConfigProvider}; the connector files reference {@code ${env:...}} the same way in both, and the
 * in-process worker can still tell a connector which Kafka cluster it runs on ({@code CDC_KAFKA_BOOTSTRAP_SERVERS})
 * or which database a test started, which a running JVM cannot put into its own environment.
 */
public final class WorkerEnvironmentConfigProvider implements ConfigProvider {

    private EnvVarConfigProvider delegate = new EnvVarConfigProvider();

    @Override
    public void configure(final Map<String, ?> configs) {
        final Map<String, String> environment = new HashMap<>(System.getenv());
        configs.forEach((name, value) -> {
            if (value != null && !EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG.equals(name)) {
                environment.put(name, value.toString());
            }
        });
        delegate = new EnvVarConfigProvider(environment);
        final Object allowlist = configs.get(EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG);
        delegate.configure(allowlist == null ? Map.of() : Map.of(EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG, allowlist));
    }

    @Override
    public ConfigData get(final String path) {
        return delegate.get(path);
    }

    @Override
    public ConfigData get(final String path, final Set<String> keys) {
        final ConfigData data = delegate.get(path, keys);
        for (final String key : keys) {
            if (!data.data().containsKey(key)) {
                throw new ConfigException("${env:" + key + "} is referenced by a connector but the variable "
                        + key + " is not set (export it before starting the worker)");
            }
        }
        return data;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
