package dev.hotconf.consul;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.Problem;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;

/**
 * The {@code consul} source type for settings ({@code sidecar.yaml}, {@code hotconf.sources[N]}),
 * with the keys of {@link ConsulSourceConfig#from}:
 *
 * <pre>{@code
 * - type: consul
 *   address: http://127.0.0.1:8500
 *   key: config/app/data      # or prefix: config/app/
 *   token-file: consul.token  # or token, token-env
 *   wait: 5m
 * }</pre>
 *
 * <p>Registered for {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class ConsulSourceProvider implements SourceProvider {
  static final String TYPE = "consul";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSource create(ConfigObject settings, SourceContext context) {
    ConsulSourceConfig config = ConsulSourceSettings.read(settings, context);
    try {
      return ConsulSource.create(config);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Problem.at(context.key(), settings.origin(), e.getMessage()));
    }
  }
}
