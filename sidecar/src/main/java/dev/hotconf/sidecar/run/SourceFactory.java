package dev.hotconf.sidecar.run;

import dev.hotconf.consul.ConsistencyMode;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.MissingPolicy;
import dev.hotconf.file.FileSource;
import dev.hotconf.file.FileSourceConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.ConfigSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the sidecar's source entries into config-file and config-consul sources. */
final class SourceFactory {
  private SourceFactory() {}

  /**
   * Creates every source (none started yet).
   *
   * @throws IllegalArgumentException naming the entry's origin when a setting is rejected
   */
  static List<ConfigSource> create(SidecarConfig config) {
    List<ConfigSource> out = new ArrayList<>();
    for (SidecarConfig.SourceSpec spec : config.sources()) {
      try {
        out.add(
            spec instanceof SidecarConfig.FileSpec f
                ? file(f)
                : consul((SidecarConfig.ConsulSpec) spec));
      } catch (RuntimeException e) {
        out.forEach(ConfigSource::close);
        throw new IllegalArgumentException(spec.origin() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static ConfigSource file(SidecarConfig.FileSpec f) {
    FileSourceConfig.Builder b = FileSourceConfig.builder();
    if (f.debounce() != null) {
      b.debounce(f.debounce());
    }
    if (f.maxWait() != null) {
      b.maxWait(f.maxWait());
    }
    if (f.format() != null) {
      b.format(ConfigFormat.named(f.format()));
    }
    return Files.isDirectory(f.path())
        ? FileSource.directory(f.path(), b.build())
        : FileSource.watching(f.path(), b.build());
  }

  private static ConfigSource consul(SidecarConfig.ConsulSpec c) {
    ConsulSourceConfig.Builder b =
        c.key() != null ? ConsulSourceConfig.key(c.key()) : ConsulSourceConfig.prefix(c.prefix());
    b.address(c.address().toString());
    if (c.format() != null) {
      b.format(ConfigFormat.named(c.format()));
    }
    if (c.waitTime() != null) {
      b.waitTime(c.waitTime());
    }
    if (c.consistency() != null) {
      b.consistency(ConsistencyMode.valueOf(c.consistency().toUpperCase(Locale.ROOT)));
    }
    if (c.datacenter() != null) {
      b.datacenter(c.datacenter());
    }
    if (c.token() != null) {
      b.token(c.token());
    }
    if (c.tokenFile() != null) {
      b.tokenFile(c.tokenFile());
    }
    if (c.tokenEnv() != null) {
      b.tokenFromEnv(c.tokenEnv());
    }
    if (c.caFile() != null) {
      b.caCertificate(c.caFile());
    }
    b.onMissing(c.deletedMeansEmpty() ? MissingPolicy.EMPTY : MissingPolicy.KEEP_LAST_GOOD);
    if (c.rateLimitBurst() != null || c.rateLimitRefill() != null) {
      b.rateLimit(
          c.rateLimitBurst() != null
              ? c.rateLimitBurst()
              : ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST,
          c.rateLimitRefill() != null
              ? c.rateLimitRefill()
              : ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL);
    }
    return ConsulSource.create(b.build());
  }
}
