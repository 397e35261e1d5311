package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;

/**
 * Creates one kind of {@link ConfigSource} from settings, so that front-ends (the sidecar's {@code
 * sidecar.yaml}, the framework adapters' {@code hotconf.sources[N]}) support every source type
 * without knowing any: an entry {@code {type: file, path: app.yaml}} goes to the provider whose
 * {@link #type()} is {@code file}. Providers are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.hotconf.source.SourceProvider}, or {@code provides} in a module);
 * config-file provides {@code file}, config-consul {@code consul}.
 *
 * <p>A provider owns and checks every key of its entry (the entry's {@code type} included, which it
 * may ignore): it binds them with {@link SourceContext#binder()} (strict: unknown keys are
 * problems) and turns its builder's {@link IllegalArgumentException}s into problems at the
 * offending value ({@link dev.hotconf.bind.Bound#apply}).
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface SourceProvider {
  /** The {@code type} of the entries this provider reads, e.g. {@code file}. */
  String type();

  /**
   * A source for one entry, not started. Reads and checks every setting now (files the settings
   * name, such as a token or CA file, included), so that a front-end reports every problem of its
   * configuration before anything starts.
   *
   * @param settings the entry, e.g. {@code {type: consul, key: config/app, wait: 2m}}
   * @param context where the entry is ({@link SourceContext#key()}, for messages), how to bind it,
   *     the environment
   * @throws ConfigException listing every problem of the entry, each at its value
   */
  ConfigSource create(ConfigObject settings, SourceContext context);
}
