package dev.hotconf.spring;

import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.HotConfig;
import dev.hotconf.Registration;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * One running hotconf inside one Spring application: the {@link HotConfig} built from {@code
 * hotconf.*}, the settings, the validator live records add their rules to, and the last rejection
 * (for health and the endpoint). Created while the environment is prepared, before any bean, by
 * {@link HotConfigApplicationListener}; found later through the environment's {@link
 * HotConfigPropertySource}. Closed when the application that created it fails or its context
 * closes. Thread-safe.
 */
final class HotConfigRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HotConfigRuntime.class);
  private static final String ATTACHED = "configurationProperties";

  private final HotConfig config;
  private final HotConfigSpringSettings settings;
  private final LiveRecordValidator records;
  private final Registration rejections;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ConfigFailure lastRejection;

  private HotConfigRuntime(
      HotConfig config, HotConfigSpringSettings settings, LiveRecordValidator records) {
    this.config = config;
    this.settings = settings;
    this.records = records;
    this.rejections =
        config.onFailure(
            f -> {
              if (f.kind() == ConfigFailure.Kind.REJECTED) {
                lastRejection = f;
              }
            });
  }

  /**
   * Reads {@code hotconf.*}, builds and starts hotconf (blocking until the first valid version) and
   * adds the live property source. Returns null, doing nothing, when {@code hotconf.enabled} is
   * false or no {@code hotconf.*} key is set.
   *
   * @throws dev.hotconf.ConfigException every problem of the settings ({@code application.yaml:
   *     line:col}) or of the first configuration
   */
  static HotConfigRuntime start(
      ConfigurableEnvironment environment, String name, ClassLoader classLoader) {
    if (environment.getPropertySources().get(HotConfigPropertySource.NAME)
        instanceof HotConfigPropertySource existing) {
      return existing.runtime(); // a child application sharing its parent's environment
    }
    if (!SpringSettingsReader.anySet(environment)) {
      LOG.debug("hotconf: no hotconf.* property is set; not starting");
      return null;
    }
    ConfigObject node = SpringSettingsReader.read(environment);
    if (node.get("enabled") instanceof ConfigScalar s && Boolean.FALSE.equals(s.value())) {
      LOG.info("hotconf: disabled (hotconf.enabled=false)");
      return null; // any other value than true or false is reported by the binder below
    }
    Assembler assembler =
        Assembler.defaults().withEnvironment(environment::getProperty).withClassLoader(classLoader);
    LiveRecordValidator records = new LiveRecordValidator();
    HotConfig config;
    HotConfigSpringSettings settings;
    try (Assembly<HotConfigSpringSettings> assembly =
        assembler.assemble(node, SpringSettingsReader.PREFIX, HotConfigSpringSettings.class)) {
      settings = assembly.settings();
      config = assembly.builder().name(name).validate(records).build();
    }
    HotConfigRuntime runtime = new HotConfigRuntime(config, settings, records);
    runtime.attach(environment);
    return runtime;
  }

  /** Adds the live property source where {@code hotconf.precedence} says. */
  private void attach(ConfigurableEnvironment environment) {
    MutablePropertySources sources = environment.getPropertySources();
    HotConfigPropertySource source = new HotConfigPropertySource(config, this);
    switch (settings.precedence()) {
      case FIRST -> {
        // Boot keeps its configurationProperties adapter first; hotconf goes right after it
        if (sources.contains(ATTACHED)) {
          sources.addAfter(ATTACHED, source);
        } else {
          sources.addFirst(source);
        }
      }
      case BEFORE_CONFIG_FILES -> {
        String env = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        String props = StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;
        if (sources.contains(env)) {
          sources.addAfter(env, source);
        } else if (sources.contains(props)) {
          sources.addAfter(props, source);
        } else {
          sources.addFirst(source);
        }
      }
      case LAST -> sources.addLast(source);
    }
    LOG.info(
        "hotconf: version {} live, property source '{}' added ({})",
        config.version(),
        HotConfigPropertySource.NAME,
        settings.precedence().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
  }

  HotConfig config() {
    return config;
  }

  HotConfigSpringSettings settings() {
    return settings;
  }

  LiveRecordValidator records() {
    return records;
  }

  /** The most recent rejected version's failure, or null when none was ever rejected. */
  ConfigFailure lastRejection() {
    ConfigFailure fromStatus = config.status().lastFailure();
    if (fromStatus != null && fromStatus.kind() == ConfigFailure.Kind.REJECTED) {
      return fromStatus;
    }
    return lastRejection;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Stops hotconf's sources and threads; the property source keeps the last values. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      rejections.close();
      config.close();
    }
  }
}
