package dev.hotconf.spring;

import dev.hotconf.ConfigStatus;
import dev.hotconf.HotConfig;
import dev.hotconf.SourceStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;

/**
 * hotconf's Micrometer meters, the same as the sidecar's {@code /metrics} (in Prometheus form
 * {@code hotconf_reloads_total} ...):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code hotconf.reloads}</td><td>counter</td><td>versions published</td></tr>
 *   <tr><td>{@code hotconf.rejections}</td><td>counter</td><td>versions rejected</td></tr>
 *   <tr><td>{@code hotconf.config.version}</td><td>gauge</td><td>the live version</td></tr>
 *   <tr><td>{@code hotconf.last.success.timestamp}</td><td>gauge</td><td>when the live version
 *       was published, in seconds since the epoch</td></tr>
 *   <tr><td>{@code hotconf.source.up{source}}</td><td>gauge</td><td>1 while the source's latest
 *       content is in use, else 0</td></tr>
 * </table>
 *
 * <p>Values are read from {@link HotConfig#status()} when the registry asks. Thread-safe.
 */
final class HotConfigMetrics implements MeterBinder {
  private final HotConfig config;

  HotConfigMetrics(HotConfig config) {
    this.config = config;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("hotconf.reloads", config, c -> c.status().reloads())
        .description("Configuration versions published")
        .register(registry);
    FunctionCounter.builder("hotconf.rejections", config, c -> c.status().rejections())
        .description("Configuration versions rejected by validation")
        .register(registry);
    Gauge.builder("hotconf.config.version", config, HotConfig::version)
        .description("The live configuration version")
        .register(registry);
    Gauge.builder("hotconf.last.success.timestamp", config, HotConfigMetrics::lastSuccess)
        .description("When the live version was published, seconds since the epoch")
        .baseUnit("seconds")
        .register(registry);
    for (SourceStatus source : config.status().sources()) {
      String name = source.name();
      Gauge.builder("hotconf.source.up", config, c -> up(c.status(), name))
          .description("1 while the source's latest content is in use, else 0")
          .tag("source", name)
          .register(registry);
    }
  }

  private static double lastSuccess(HotConfig config) {
    Instant at = config.status().lastSuccess();
    return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
  }

  private static double up(ConfigStatus status, String name) {
    for (SourceStatus s : status.sources()) {
      if (s.name().equals(name)) {
        return s.state() == SourceStatus.State.OK ? 1 : 0;
      }
    }
    return Double.NaN;
  }
}
