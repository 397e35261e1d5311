package dev.hotconf.file;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.SourceStatus;
import dev.hotconf.source.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared bits of the tests: quick configs, building, recording every published snapshot. */
final class Support {
  private Support() {}

  /** A small debounce so tests run quickly; no safety rescan unless a test wants one. */
  static FileSourceConfig quick() {
    return FileSourceConfig.builder()
        .debounce(Duration.ofMillis(40))
        .maxWait(Duration.ofSeconds(2))
        .renameWindow(Duration.ofMillis(10))
        .rescanInterval(Duration.ZERO)
        .build();
  }

  static HotConfig build(ConfigSource... sources) {
    HotConfig.Builder b = HotConfig.builder().name("t").startTimeout(Duration.ofSeconds(10));
    for (ConfigSource s : sources) {
      b.source(s);
    }
    return b.build();
  }

  /**
   * Records every published snapshot from the live one on (on the listener thread). Versions
   * already recorded are skipped: older cores could still notify a listener registered just after
   * {@code build()} of version 1.
   */
  static List<ConfigSnapshot> record(HotConfig config) {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    published.add(config.snapshot());
    config.onChange(
        change -> {
          if (change.current().version() > published.get(published.size() - 1).version()) {
            published.add(change.current());
          }
        });
    return published;
  }

  /**
   * Waits until the recorder has heard the live version: listeners hear a version after accessors
   * and {@code snapshot()} switch to it, so assertions on the recording must wait for it.
   */
  static List<ConfigSnapshot> caughtUp(List<ConfigSnapshot> published, HotConfig config) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> published.get(published.size() - 1).version() >= config.version());
    return published;
  }

  static SourceStatus status(HotConfig config, ConfigSource source) {
    return config.status().sources().stream()
        .filter(s -> s.name().equals(source.name()))
        .findFirst()
        .orElseThrow();
  }

  static SourceStatus.State state(HotConfig config, ConfigSource source) {
    return status(config, source).state();
  }

  /** The value at {@code key} in the live snapshot, or null. */
  static Object value(HotConfig config, String key) {
    return config.snapshot().find(key, Object.class).orElse(null);
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
