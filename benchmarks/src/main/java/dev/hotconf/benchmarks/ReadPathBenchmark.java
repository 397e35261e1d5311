package dev.hotconf.benchmarks;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.DurationSetting;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Setting;
import dev.hotconf.StringSetting;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Sources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read path: one accessor read per operation, on a ~200-key document, against the hand-written
 * baseline (a volatile reference to the current holder plus a cached typed value: the physical
 * limit of this design) and against a lookup in a snapshot (what a map-based config does per read).
 * {@code baselineHolder} is the limit for {@code hotconfInt}, {@code baselineString}, {@code
 * baselineDuration} and {@code baselineRecord} (the same holder returning a cached value of that
 * exact type) for {@code StringSetting}, {@code DurationSetting} and the bound record's {@code
 * Setting<Pool>}; the {@code *Use} pairs read a value and use it, as callers do. Run with {@code
 * -prof gc} for allocation and {@code -t 2} for two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadPathBenchmark {

  /** A record bound to a prefix. */
  public record Pool(int min, int max, Duration idleTimeout) {}

  /** {@link Baseline} for the bound record: the current snapshot and the record, typed. */
  public static final class RecordBaseline {
    record Holder(Object snapshot, Pool pool) {}

    volatile Holder current;

    Pool get() {
      return current.pool;
    }
  }

  HotConfig config;
  IntSetting intSetting;
  StringSetting stringSetting;
  DurationSetting durationSetting;
  Setting<Pool> recordSetting;
  ConfigSnapshot snapshot;
  Baseline baseline;
  RecordBaseline recordBaseline;

  @Setup(Level.Trial)
  public void setUp() {
    config =
        HotConfig.builder()
            .name("bench")
            .source(Sources.text("bench.yaml", ConfigFormat.YAML, Documents.yaml(200)))
            .build();
    intSetting = config.intSetting("db.pool.max", 1);
    stringSetting = config.stringSetting("db.url", "x");
    durationSetting = config.durationSetting("db.pool.idle-timeout", Duration.ZERO);
    recordSetting = config.recordSetting("db.pool", Pool.class);
    snapshot = config.snapshot();
    baseline = new Baseline();
    baseline.current =
        new Baseline.Holder(
            snapshot,
            snapshot.getInt("db.pool.max"),
            snapshot.getString("db.url"),
            snapshot.getDuration("db.pool.idle-timeout"));
    recordBaseline = new RecordBaseline();
    recordBaseline.current = new RecordBaseline.Holder(snapshot, recordSetting.get());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    config.close();
  }

  @Benchmark
  public int baselineHolder() {
    return baseline.get();
  }

  @Benchmark
  public String baselineString() {
    return baseline.getText();
  }

  @Benchmark
  public Duration baselineDuration() {
    return baseline.getDuration();
  }

  @Benchmark
  public Pool baselineRecord() {
    return recordBaseline.get();
  }

  @Benchmark
  public int hotconfInt() {
    return intSetting.getAsInt();
  }

  @Benchmark
  public String hotconfString() {
    return stringSetting.get();
  }

  @Benchmark
  public Duration hotconfDuration() {
    return durationSetting.get();
  }

  @Benchmark
  public Pool hotconfRecord() {
    return recordSetting.get();
  }

  /*
   * Read and use: a caller reads a value to use it, which loads the object's fields. For a
   * Setting<T>, the checkcast that erasure puts after get() (a load of the object's class word)
   * shares that cache line. Same use on both sides.
   */

  @Benchmark
  public int baselineStringUse() {
    return baseline.getText().length();
  }

  @Benchmark
  public int hotconfStringUse() {
    return stringSetting.get().length();
  }

  @Benchmark
  public long baselineDurationUse() {
    return baseline.getDuration().toMillis();
  }

  @Benchmark
  public long hotconfDurationUse() {
    return durationSetting.get().toMillis();
  }

  @Benchmark
  public int baselineRecordUse() {
    return recordBaseline.get().max();
  }

  @Benchmark
  public int hotconfRecordUse() {
    return recordSetting.get().max();
  }

  @Benchmark
  public int snapshotLookupPerRead() {
    return snapshot.getInt("db.pool.max");
  }
}
