package dev.hotconf.benchmarks.memory;

import dev.hotconf.ConfigChange;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Registration;
import dev.hotconf.Setting;
import dev.hotconf.StringSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Documents;
import dev.hotconf.benchmarks.ReloadFixture;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the heap grows over many reloads: a {@link ReloadFixture} (five accessors: int, String,
 * Duration, a bound record, a list; a change listener and a value listener; six rules) over a YAML
 * document of {@code --keys} leaves (default 1,000) whose values change at every reload, plus
 * temporary accessors and listeners created every 100 reloads and dropped (registrations closed,
 * references let go) at the next hundred. After a warm-up, and then every {@code --every} reloads
 * (default 10,000), used heap is sampled after full GC ({@link Heap#usedAfterFullGc()}).
 *
 * <p>Prints the table and the least-squares slope of used heap over reloads, in bytes per {@code
 * --every} reloads, and exits 1 when the fitted growth over the whole run exceeds {@code
 * --tolerance} bytes (default 2 MiB: about 21 bytes per reload over 100,000 reloads; the noise
 * between samples is a few hundred KiB). {@code --retain-changes true} adds a listener that keeps
 * every {@link ConfigChange}: a deliberate leak that shows the check fails.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.hotconf.benchmarks.memory.MemoryOverTime [--reloads 100000] [--every 10000] [--keys 1000]
 * [--tolerance 2097152] [--retain-changes false]}.
 */
public final class MemoryOverTime {
  private static final int TEMPORARY_EVERY = 100;

  /** Used heap after full GC once {@code reloads} reloads (after the warm-up) were done. */
  public record Sample(long reloads, long usedBytes) {}

  /**
   * {@code slopeBytes}: least-squares growth per {@code every} reloads; {@code fittedGrowth}: slope
   * over the whole run; {@code grows}: that exceeds {@code toleranceBytes}; {@code poolChanges}:
   * value-listener calls (one per reload: the pool size changes every time); {@code temporaries}:
   * sets of temporary accessors and listeners created and dropped.
   */
  public record Result(
      List<Sample> samples,
      int every,
      double slopeBytes,
      double fittedGrowth,
      long toleranceBytes,
      boolean grows,
      long reloads,
      long poolChanges,
      long temporaries,
      double seconds) {}

  private MemoryOverTime() {}

  public static void main(String[] args) {
    Args.quiet();
    Flags f = new Flags(args, Set.of("reloads", "every", "keys", "tolerance", "retain-changes"));
    Result r =
        run(
            f.intValue("reloads", 100_000),
            f.intValue("every", 10_000),
            f.intValue("keys", 1_000),
            f.longValue("tolerance", 2L << 20),
            f.bool("retain-changes", false),
            System.out);
    System.out.print(report(r));
    if (r.grows()) {
      System.out.println("FAIL: the heap grows beyond noise");
      System.exit(1);
    }
  }

  public static Result run(
      int reloads,
      int every,
      int keys,
      long tolerance,
      boolean retainChanges,
      PrintStream progress) {
    if (reloads < every || every < 1) {
      throw new IllegalArgumentException("need --reloads >= --every >= 1");
    }
    long start = System.nanoTime();
    int warmup = Math.min(1_000, every);
    List<Sample> samples = new ArrayList<>();
    long temporaries = 0;
    try (ReloadFixture fixture = new ReloadFixture("memory", i -> Documents.service(keys, i))) {
      List<ConfigChange> leak = Collections.synchronizedList(new ArrayList<>());
      Registration leaking = retainChanges ? fixture.config().onChange(leak::add) : null;
      for (int i = 0; i < warmup; i++) {
        fixture.reload();
      }
      // the first printf loads Formatter and locale data (~175 KB kept on the heap): before the
      // first sample, or it shows up as a step between the first samples
      progress.printf(Locale.ROOT, "%,d warm-up reloads done%n", warmup);
      samples.add(new Sample(0, Heap.usedAfterFullGc()));
      Temporary temporary = null;
      for (int i = 1; i <= reloads; i++) {
        fixture.reload();
        if (i % TEMPORARY_EVERY == 0) {
          if (temporary != null) {
            temporary.close();
          }
          temporary = new Temporary(fixture.config());
          temporaries++;
        }
        if (i % every == 0) {
          samples.add(new Sample(i, Heap.usedAfterFullGc()));
          progress.printf(
              Locale.ROOT,
              "%,d reloads: %,d bytes used after full GC%n",
              i,
              samples.get(samples.size() - 1).usedBytes());
        }
      }
      if (temporary != null) {
        temporary.close();
      }
      if (leaking != null) {
        leaking.close();
      }
      long total = warmup + (long) reloads;
      awaitPoolChanges(fixture, total);
      double slope = slope(samples) * every;
      double fitted = slope * (samples.size() - 1);
      return new Result(
          List.copyOf(samples),
          every,
          slope,
          fitted,
          tolerance,
          fitted > tolerance,
          total,
          fixture.poolChanges(),
          temporaries,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** The value listener runs off the publishing thread: give it up to 10 s to catch up. */
  private static void awaitPoolChanges(ReloadFixture fixture, long expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (fixture.poolChanges() < expected && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Least-squares slope of used bytes per reload. */
  static double slope(List<Sample> samples) {
    double n = samples.size();
    double sx = 0;
    double sy = 0;
    for (Sample s : samples) {
      sx += s.reloads();
      sy += s.usedBytes();
    }
    double mx = sx / n;
    double my = sy / n;
    double num = 0;
    double den = 0;
    for (Sample s : samples) {
      num += (s.reloads() - mx) * (s.usedBytes() - my);
      den += (s.reloads() - mx) * (s.reloads() - mx);
    }
    return den == 0 ? 0 : num / den;
  }

  /** The Markdown table and the verdict. */
  public static String report(Result r) {
    StringBuilder sb =
        new StringBuilder(
            "| reloads | used heap after full GC (bytes) | MiB | vs first |\n|---|---|---|---|\n");
    long first = r.samples().get(0).usedBytes();
    for (Sample s : r.samples()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,d | %,d | %.2f | %+,d |%n",
              s.reloads(),
              s.usedBytes(),
              s.usedBytes() / 1048576.0,
              s.usedBytes() - first));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nleast-squares slope: %+,.0f bytes per %,d reloads; fitted growth over the"
                + " run %+,.0f bytes (tolerance %,d): %s%n",
            r.slopeBytes(),
            r.every(),
            r.fittedGrowth(),
            r.toleranceBytes(),
            r.grows() ? "GROWS" : "flat"));
    sb.append(
        String.format(
            Locale.ROOT,
            "%,d reloads (warm-up included) in %.1f s (%.0f reloads/s); value-listener calls:"
                + " %,d; temporary accessor sets created and dropped: %,d%n",
            r.reloads(),
            r.seconds(),
            r.reloads() / r.seconds(),
            r.poolChanges(),
            r.temporaries()));
    return sb.toString();
  }

  /** Accessors and listeners a program creates for a while and then drops. */
  private static final class Temporary {
    private final IntSetting port;
    private final StringSetting host;
    private final Setting<ReloadFixture.Pool> pool;
    private final Setting<Integer> absent;
    private final Registration portListener;
    private final Registration changeListener;
    private final AtomicLong heard = new AtomicLong();

    Temporary(HotConfig config) {
      port = config.intSetting("server.port", 0);
      host = config.stringSetting("server.host", "none");
      pool = config.recordSetting("db.pool", ReloadFixture.Pool.class);
      absent = config.setting("services.absent.retries", Integer.class, 3);
      portListener = port.onChange((before, after) -> heard.incrementAndGet());
      changeListener =
          config.onChange("db.pool", change -> heard.addAndGet(change.diff().changes().size()));
      if (port.getAsInt() == 0
          || host.get().isEmpty()
          || pool.get().max() < 1
          || absent.get() != 3) {
        throw new IllegalStateException("temporary accessors read wrong values");
      }
    }

    void close() {
      portListener.close();
      changeListener.close();
    }
  }
}
