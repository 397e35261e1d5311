package dev.hotconf.benchmarks.file;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.file.FileSource;
import dev.hotconf.file.FileSourceConfig;
import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.builder.ReloadingFileBasedConfigurationBuilder;
import org.apache.commons.configuration2.builder.fluent.Parameters;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.reloading.PeriodicReloadingTrigger;

/**
 * End-to-end file propagation latency: the time from a completed write of a small YAML file to the
 * new value being visible through an accessor, per write mode, for hotconf's {@link FileSource}
 * with its defaults and, in the same run, for Apache Commons Configuration 2's periodic reloading.
 *
 * <p>Each write sets {@code n: <i>}; t0 is {@link System#nanoTime()} right after the write returned
 * (after the rename, or the last write and close); the reader then polls the accessor with {@code
 * LockSupport.parkNanos(20_000)} between reads until it returns {@code i}. Writes are separated by
 * a random 250-400 ms gap counted from the moment the previous value became visible, longer than
 * the 200 ms debounce, so each write is measured in isolation. For the peer a uniformly random
 * extra 0..period is added to the gap so its writes land at a random phase of its reload period
 * (with the bare gap every write would land 250-400 ms after a trigger tick and the peer would show
 * the same latency every time).
 *
 * <pre>
 * java -cp ... dev.hotconf.benchmarks.file.FilePropagation [--writes 200] [--modes inplace,rename,vim,recreate,kube]
 *     [--peer on|off] [--peer-fast-period-ms 100] [--peer-fast-writes 50] [--peer-writes 50]
 *     [--peer-default-delay-writes 50] [--warmup 5] [--seed 42] [--gap-min-ms 250] [--gap-max-ms 400] [--verbose off]
 *     [--debounce-ms (hotconf's default, 200)]
 * </pre>
 *
 * <p>Peers (rename-over and in-place writes only), each skipped when its write count is 0: {@code
 * --peer-fast-*} = a {@code PeriodicReloadingTrigger} with a short period (100 ms) and refresh
 * delay 0; {@code --peer-writes} = 1 s period, refresh delay 0; {@code --peer-default-delay-writes}
 * = 1 s period with the detector's default 5 s refresh delay.
 *
 * <p>{@code --verbose on} prints every hotconf sample above its target, with the wall-clock time of
 * the write (to match against {@code -Dorg.slf4j.simpleLogger.log.dev.hotconf.file=debug} output).
 */
public final class FilePropagation {
  private static final String FILE = "app.yaml";
  private static final long POLL_NANOS = 20_000;
  private static final long HOTCONF_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long PEER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

  private FilePropagation() {}

  /** What to run. */
  public record Options(
      int writes,
      List<String> modes,
      boolean peer,
      int peerWrites,
      int peerDefaultDelayWrites,
      long peerFastPeriodMillis,
      int peerFastWrites,
      int warmup,
      long gapMinMillis,
      long gapMaxMillis,
      long seed,
      boolean verbose,
      long debounceMillis) {

    /** {@code debounceMillis} -1 keeps hotconf's default debounce. */
    public static Options defaults() {
      return new Options(
          200,
          List.of("inplace", "rename", "vim", "recreate", "kube"),
          true,
          50,
          50,
          100,
          50,
          5,
          250,
          400,
          42,
          false,
          -1);
    }

    /** Parses {@code --name value} or {@code --name=value}; unknown names are rejected. */
    public static Options parse(String... args) {
      Options o = defaults();
      for (Map.Entry<String, String> option : Args.options(args)) {
        String name = option.getKey();
        String value = option.getValue();
        o =
            switch (name) {
              case "writes" -> o.with(b -> b.writes = Integer.parseInt(value));
              case "modes" -> o.with(b -> b.modes = List.of(value.split(",")));
              case "peer" -> o.with(b -> b.peer = onOff(value));
              case "peer-writes" -> o.with(b -> b.peerWrites = Integer.parseInt(value));
              case "peer-default-delay-writes" ->
                  o.with(b -> b.peerDefaultDelayWrites = Integer.parseInt(value));
              case "peer-fast-period-ms" -> o.with(b -> b.peerFastPeriod = Long.parseLong(value));
              case "peer-fast-writes" -> o.with(b -> b.peerFastWrites = Integer.parseInt(value));
              case "warmup" -> o.with(b -> b.warmup = Integer.parseInt(value));
              case "gap-min-ms" -> o.with(b -> b.gapMin = Long.parseLong(value));
              case "gap-max-ms" -> o.with(b -> b.gapMax = Long.parseLong(value));
              case "seed" -> o.with(b -> b.seed = Long.parseLong(value));
              case "verbose" -> o.with(b -> b.verbose = onOff(value));
              case "debounce-ms" -> o.with(b -> b.debounce = Long.parseLong(value));
              default ->
                  throw new IllegalArgumentException(
                      "unknown option --"
                          + name
                          + "; known: --writes, --modes, "
                          + "--peer, --peer-writes, --peer-default-delay-writes, --peer-fast-period-ms, --peer-fast-writes, "
                          + "--warmup, --gap-min-ms, --gap-max-ms, --seed, --verbose, --debounce-ms");
            };
      }
      for (String m : o.modes) {
        FileWriters.byKey(m);
      }
      if (o.writes < 1
          || o.warmup < 0
          || o.gapMinMillis < 0
          || o.gapMaxMillis < o.gapMinMillis
          || o.peerWrites < 0
          || o.peerDefaultDelayWrites < 0
          || o.peerFastWrites < 0
          || o.peerFastPeriodMillis < 1
          || o.debounceMillis < -1) {
        throw new IllegalArgumentException(
            "need --writes >= 1, --warmup >= 0, 0 <= gap-min <= gap-max, peer writes"
                + " >= 0, --peer-fast-period-ms >= 1: "
                + o);
      }
      return o;
    }

    private static boolean onOff(String v) {
      return switch (v) {
        case "on", "true" -> true;
        case "off", "false" -> false;
        default -> throw new IllegalArgumentException("--peer takes on or off, not '" + v + "'");
      };
    }

    private Options with(java.util.function.Consumer<Mutable> change) {
      Mutable b = new Mutable(this);
      change.accept(b);
      return new Options(
          b.writes,
          b.modes,
          b.peer,
          b.peerWrites,
          b.peerDefaultDelayWrites,
          b.peerFastPeriod,
          b.peerFastWrites,
          b.warmup,
          b.gapMin,
          b.gapMax,
          b.seed,
          b.verbose,
          b.debounce);
    }

    private static final class Mutable {
      int writes;
      List<String> modes;
      boolean peer;
      int peerWrites;
      int peerDefaultDelayWrites;
      long peerFastPeriod;
      int peerFastWrites;
      int warmup;
      long gapMin;
      long gapMax;
      long seed;
      boolean verbose;
      long debounce;

      Mutable(Options o) {
        writes = o.writes;
        modes = o.modes;
        peer = o.peer;
        peerWrites = o.peerWrites;
        peerDefaultDelayWrites = o.peerDefaultDelayWrites;
        peerFastPeriod = o.peerFastPeriodMillis;
        peerFastWrites = o.peerFastWrites;
        warmup = o.warmup;
        gapMin = o.gapMinMillis;
        gapMax = o.gapMaxMillis;
        seed = o.seed;
        verbose = o.verbose;
        debounce = o.debounceMillis;
      }
    }
  }

  /** One system on one write mode. */
  public record Result(
      String system,
      String mode,
      Latencies latency,
      int timeouts,
      int readErrors,
      Optional<Double> targetP99Millis) {

    /** Whether the hotconf target (if any) was met: p99 within target and no timeouts. */
    public Optional<Boolean> targetMet() {
      return targetP99Millis.map(t -> timeouts == 0 && latency.count() > 0 && latency.p99Ms() <= t);
    }
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // hotconf logs every published version at INFO; 1,000 lines to stderr would be measured too
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Options o = Options.parse(args);
    List<Result> results = run(o, System.err);
    System.out.println(report(o, results));
  }

  /** Runs everything {@code o} asks for; progress goes to {@code log}. */
  public static List<Result> run(Options o, PrintStream log)
      throws IOException, InterruptedException {
    Random random = new Random(o.seed());
    List<Result> results = new ArrayList<>();
    Path root = Files.createTempDirectory("hotconf-file-propagation");
    try {
      log.printf(Locale.ROOT, "hotconf file propagation: %s, temp dir %s%n", o, root);
      for (String key : o.modes()) {
        results.add(
            hotconf(FileWriters.byKey(key), root.resolve("hotconf-" + key), o, random, log));
      }
      if (o.peer()) {
        List<Peer> peers =
            List.of(
                new Peer(o.peerFastPeriodMillis(), 0L, o.peerFastWrites()),
                new Peer(1_000, 0L, o.peerWrites()),
                new Peer(1_000, null, o.peerDefaultDelayWrites()));
        for (Peer p : peers) {
          for (FileWriters mode :
              p.writes() > 0
                  ? List.of(FileWriters.RENAME, FileWriters.IN_PLACE)
                  : List.<FileWriters>of()) {
            results.add(
                peer(
                    mode, root.resolve("peer-" + p.label() + "-" + mode.key()), p, o, random, log));
          }
        }
      }
    } finally {
      FileReplacement.deleteTree(root);
    }
    return results;
  }

  private static String doc(int n) {
    return "# hotconf file propagation benchmark\nservice:\n  name: bench\n  port: 8080\nn: "
        + n
        + "\n";
  }

  /**
   * hotconf with {@code FileSourceConfig.defaults()} (debounce 200 ms, rename window 25 ms), or
   * with only the debounce changed ({@code --debounce-ms}).
   */
  private static Result hotconf(
      FileWriters mode, Path dir, Options o, Random random, PrintStream log)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    mode.write(dir, FILE, doc(0));
    FileSourceConfig.Builder settings = FileSourceConfig.builder();
    if (o.debounceMillis() >= 0) {
      settings.debounce(java.time.Duration.ofMillis(o.debounceMillis()));
    }
    FileSourceConfig defaults = settings.build();
    String system =
        o.debounceMillis() >= 0 ? "hotconf (debounce " + o.debounceMillis() + " ms)" : "hotconf";
    try (FileSource source = FileSource.watching(dir.resolve(FILE), defaults);
        HotConfig config = HotConfig.builder().name("bench-" + mode.key()).source(source).build()) {
      IntSetting n = config.intSetting("n", -1);
      double target =
          (mode == FileWriters.RENAME || mode == FileWriters.KUBE)
              ? 50
              : defaults.debounce().toMillis() + 50;
      Run run =
          measure(
              mode,
              dir,
              n::getAsInt,
              o.warmup(),
              o.writes(),
              HOTCONF_TIMEOUT_NANOS,
              () -> gapMillis(o, random, 0),
              log,
              "hotconf/" + mode.key(),
              o.verbose() ? target : Double.NaN);
      return new Result(system, mode.key(), run.latency(), run.timeouts(), 0, Optional.of(target));
    }
  }

  /**
   * One Commons Configuration 2 set-up: the trigger period, the detector's refresh delay ({@code
   * null} keeps its default of 5 s, so the file is compared at most every 5 s; 0 lets every trigger
   * tick compare it) and the number of writes per mode.
   */
  private record Peer(long periodMillis, Long refreshDelayMillis, int writes) {
    /** The longer of period and refresh delay: changes are seen within about this long. */
    long checkEveryMillis() {
      return Math.max(periodMillis, refreshDelayMillis == null ? 5_000 : refreshDelayMillis);
    }

    String label() {
      return checkEveryMillis() % 1_000 == 0
          ? checkEveryMillis() / 1_000 + "s"
          : checkEveryMillis() + "ms";
    }

    String system() {
      String period =
          periodMillis % 1_000 == 0 ? periodMillis / 1_000 + " s" : periodMillis + " ms";
      return "commons-configuration2 ("
          + period
          + " trigger, "
          + (refreshDelayMillis == null
              ? "default 5 s refresh delay)"
              : "refresh delay " + refreshDelayMillis + ")");
    }
  }

  /**
   * Commons Configuration 2 as its user guide recommends for reloading: a {@code
   * ReloadingFileBasedConfigurationBuilder} with a {@code PeriodicReloadingTrigger}, the
   * configuration fetched from the builder on every read.
   */
  private static Result peer(
      FileWriters mode, Path dir, Peer peer, Options o, Random random, PrintStream log)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    mode.write(dir, FILE, doc(0));
    ReloadingFileBasedConfigurationBuilder<YAMLConfiguration> builder =
        commonsBuilder(file, peer.refreshDelayMillis());
    PeriodicReloadingTrigger trigger =
        new PeriodicReloadingTrigger(
            builder.getReloadingController(), null, peer.periodMillis(), TimeUnit.MILLISECONDS);
    AtomicInteger errors = new AtomicInteger();
    IntSupplier read =
        () -> {
          try {
            return builder.getConfiguration().getInt("n", -1);
          } catch (ConfigurationException | RuntimeException e) {
            errors.incrementAndGet(); // e.g. an in-place write read half done
            return -1;
          }
        };
    if (read.getAsInt() != 0) {
      throw new IllegalStateException("peer did not read the initial file");
    }
    trigger.start();
    try {
      Run run =
          measure(
              mode,
              dir,
              read,
              1,
              peer.writes(),
              PEER_TIMEOUT_NANOS,
              () -> gapMillis(o, random, peer.checkEveryMillis()),
              log,
              "peer-" + peer.label() + "/" + mode.key(),
              Double.NaN);
      return new Result(
          peer.system(), mode.key(), run.latency(), run.timeouts(), errors.get(), Optional.empty());
    } finally {
      trigger.shutdown();
    }
  }

  /**
   * The peer's builder, as the Commons Configuration user guide shows it: a {@code
   * ReloadingFileBasedConfigurationBuilder<YAMLConfiguration>} on {@code file}; {@code
   * refreshDelayMillis} null keeps the detector's default (5 s).
   */
  static ReloadingFileBasedConfigurationBuilder<YAMLConfiguration> commonsBuilder(
      Path file, Long refreshDelayMillis) {
    var params = new Parameters().fileBased().setFile(file.toFile());
    if (refreshDelayMillis != null) {
      params.setReloadingRefreshDelay(refreshDelayMillis);
    }
    return new ReloadingFileBasedConfigurationBuilder<>(YAMLConfiguration.class).configure(params);
  }

  private static long gapMillis(Options o, Random random, long extraPhaseMillis) {
    long gap =
        o.gapMinMillis() + (long) (random.nextDouble() * (o.gapMaxMillis() - o.gapMinMillis()));
    return gap + (long) (random.nextDouble() * extraPhaseMillis);
  }

  private record Run(Latencies latency, int timeouts) {}

  private static Run measure(
      FileWriters mode,
      Path dir,
      IntSupplier value,
      int warmup,
      int writes,
      long timeoutNanos,
      java.util.function.LongSupplier gap,
      PrintStream log,
      String label,
      double reportAboveMillis)
      throws IOException, InterruptedException {
    long[] samples = new long[writes];
    int count = 0;
    int timeouts = 0;
    int v = 0;
    for (int k = 0; k < warmup + writes; k++) {
      // the gap between writes is part of the scenario (a writer pausing), not synchronisation
      Thread.sleep(gap.getAsLong());
      v++;
      mode.write(dir, FILE, doc(v));
      long t0 = System.nanoTime();
      long deadline = t0 + timeoutNanos;
      boolean seen = true;
      while (value.getAsInt() != v) {
        if (System.nanoTime() - deadline > 0) {
          seen = false;
          break;
        }
        LockSupport.parkNanos(POLL_NANOS);
      }
      long dt = System.nanoTime() - t0;
      if (k < warmup) {
        continue;
      }
      if (seen) {
        samples[count++] = dt;
        if (dt / 1e6 > reportAboveMillis) {
          log.printf(
              Locale.ROOT,
              "  %s: write %d at %s took %.1f ms%n",
              label,
              v,
              java.time.LocalTime.now().minusNanos(System.nanoTime() - t0),
              dt / 1e6);
        }
      } else {
        timeouts++;
        log.printf(
            Locale.ROOT,
            "  %s: write %d not visible after %d ms%n",
            label,
            v,
            timeoutNanos / 1_000_000);
      }
    }
    Latencies p = Latencies.of(Arrays.copyOf(samples, count));
    log.printf(
        Locale.ROOT,
        "  %-18s n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f ms, timeouts=%d%n",
        label,
        p.count(),
        p.p50Ms(),
        p.p90Ms(),
        p.p99Ms(),
        p.maxMs(),
        timeouts);
    return new Run(p, timeouts);
  }

  /** The results as Markdown tables. */
  public static String report(Options o, List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| system | mode | n | p50 ms | p90 ms | p99 ms | max ms | mean ms | timeouts | read errors | target p99 | met |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      sb.append("| ")
          .append(r.system())
          .append(" | ")
          .append(FileWriters.byKey(r.mode()).description())
          .append(" | ")
          .append(r.latency().cells())
          .append(" | ")
          .append(r.timeouts())
          .append(" | ")
          .append(r.readErrors())
          .append(" | ")
          .append(r.targetP99Millis().map(t -> "<= " + Math.round(t) + " ms").orElse("-"))
          .append(" | ")
          .append(r.targetMet().map(m -> m ? "yes" : "**no**").orElse("-"))
          .append(" |\n");
    }
    List<Result> peers = results.stream().filter(r -> !r.system().startsWith("hotconf")).toList();
    if (!peers.isEmpty()) {
      sb.append(
          "\n| mode | peer | peer p50 / hotconf p50 | peer p99 / hotconf p99 |\n|---|---|---|---|\n");
      for (Result p : peers) {
        results.stream()
            .filter(r -> r.system().startsWith("hotconf") && r.mode().equals(p.mode()))
            .findFirst()
            .ifPresent(
                h ->
                    sb.append(
                        String.format(
                            Locale.ROOT,
                            "| %s | %s | %.1fx | %.1fx |%n",
                            p.mode(),
                            p.system(),
                            p.latency().p50Ms() / h.latency().p50Ms(),
                            p.latency().p99Ms() / h.latency().p99Ms())));
      }
    }
    return sb.toString();
  }
}
