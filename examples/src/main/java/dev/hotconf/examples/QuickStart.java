package dev.hotconf.examples;

import dev.hotconf.DurationSetting;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Setting;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import dev.hotconf.validate.Rules;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start: builds a config from classpath defaults, an updatable override layer
 * and environment variables ({@code APP_*}), reads it through accessors, then applies a good edit
 * (published) and a bad one (rejected, the last good version stays live).
 */
public final class QuickStart {
  private QuickStart() {}

  /** A record bound to the {@code db.pool} prefix. */
  public record Pool(int min, int max) {}

  public static void main(String[] args) throws Exception {
    MemorySource overrides =
        Sources.text("overrides.yaml", ConfigFormat.YAML, "db:\n  pool:\n    max: 20\n");
    try (HotConfig config =
        HotConfig.builder()
            .name("example")
            .source(Sources.classpath("defaults.yaml"))
            .source(overrides)
            .source(Sources.environment("APP_"))
            .validate(
                Rules.required("db.url"),
                Rules.range("db.pool.max", 1, 500),
                Rules.check(
                    "db.pool.max",
                    "must be >= db.pool.min",
                    c -> c.getInt("db.pool.max") >= c.getInt("db.pool.min")))
            .build()) {
      IntSetting poolMax = config.intSetting("db.pool.max", 10);
      DurationSetting timeout = config.durationSetting("http.timeout", Duration.ofSeconds(1));
      Setting<Pool> pool = config.recordSetting("db.pool", Pool.class);
      CountDownLatch changed = new CountDownLatch(1);
      CountDownLatch rejected = new CountDownLatch(1);
      poolMax.onChange(
          (old, now) -> {
            System.out.println("pool.max changed " + old + " -> " + now);
            changed.countDown();
          });
      config.onFailure(
          f -> {
            System.out.println(
                "rejected, still live: version "
                    + config.version()
                    + "\n  "
                    + f.message().replace("\n", "\n  "));
            rejected.countDown();
          });

      System.out.println(
          "version "
              + config.version()
              + ": db.pool.max="
              + poolMax.getAsInt()
              + " (from "
              + poolMax.origin()
              + "), http.timeout="
              + timeout.get()
              + ", pool="
              + pool.get());

      overrides.update(ConfigFormat.YAML, "db:\n  pool:\n    max: 40\n");
      await(changed);
      System.out.println("version " + config.version() + ": db.pool.max=" + poolMax.getAsInt());

      overrides.update(ConfigFormat.YAML, "db:\n  pool:\n    max: 0\n");
      await(rejected);
      System.out.println(
          "version "
              + config.version()
              + ": db.pool.max="
              + poolMax.getAsInt()
              + " (the bad edit never went live)");
      System.out.println(
          "status: "
              + config.status().rejections()
              + " rejection(s), "
              + config.status().reloads()
              + " version(s) published");
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out");
    }
  }
}
