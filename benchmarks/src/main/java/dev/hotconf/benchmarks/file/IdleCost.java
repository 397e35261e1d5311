package dev.hotconf.benchmarks.file;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.file.FileSource;
import dev.hotconf.file.FileSourceConfig;
import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.builder.ReloadingFileBasedConfigurationBuilder;
import org.apache.commons.configuration2.reloading.PeriodicReloadingTrigger;

/**
 * What watching one unchanging file costs while nothing happens: process CPU time, and (under
 * {@code strace}) system calls, per minute of idle, for a JVM doing nothing (baseline), hotconf's
 * {@link FileSource} with its defaults, and Apache Commons Configuration 2's {@code
 * PeriodicReloadingTrigger} at 100 ms and at 1 s (refresh delay 0, as in {@link FilePropagation}).
 *
 * <p>Each scenario runs in its own child JVM (same {@code java}, same class path, no extra flags):
 * the child sets the scenario up, reads the value once, idles {@code --settle-seconds} (start-up
 * and JIT work end), then measures the process's CPU time (all threads, including the JVM's own, in
 * nanoseconds from {@code /proc/self/task/TID/schedstat}; see {@link #processCpuNanos()}) and, via
 * {@link ThreadMXBean}, the CPU of the threads the scenario started, over {@code --seconds} of
 * idle. The children of one repetition run side by side, so they share the machine's load; the
 * report gives the median over repetitions. With {@code --strace on} one more round runs each child
 * under {@code strace -f -ttt} and counts the system calls made inside the idle window (the traced
 * round is not used for CPU: tracing slows every call).
 *
 * <pre>
 * java -cp benchmarks.jar dev.hotconf.benchmarks.file.IdleCost [--seconds 60] [--repetitions 5]
 *     [--settle-seconds 10] [--scenarios baseline,hotconf,commons-100ms,commons-1s] [--strace auto|on|off]
 * # one more scenario, not run by default: hotconf-no-rescan (the defaults with the safety rescan off)
 * </pre>
 */
public final class IdleCost {
  private static final String MARK = "IDLECOST";
  private static final String FILE = "app.yaml";

  private IdleCost() {}

  /** The four set-ups; {@code key} is the command-line name. */
  public enum Scenario {
    BASELINE("baseline", "JVM doing nothing (main thread sleeping)"),
    HOTCONF("hotconf", "hotconf FileSource.watching(file, defaults) + HotConfig"),
    COMMONS_100MS(
        "commons-100ms",
        "Commons Configuration 2, PeriodicReloadingTrigger 100 ms, refresh delay 0"),
    COMMONS_1S(
        "commons-1s", "Commons Configuration 2, PeriodicReloadingTrigger 1 s, refresh delay 0"),
    /** Not in the default set: shows what the 30 s safety rescan adds to {@link #HOTCONF}. */
    HOTCONF_NO_RESCAN("hotconf-no-rescan", "hotconf FileSource, defaults but safety rescan off");

    private final String key;
    private final String description;

    Scenario(String key, String description) {
      this.key = key;
      this.description = description;
    }

    public String key() {
      return key;
    }

    public String description() {
      return description;
    }

    static Scenario byKey(String key) {
      for (Scenario s : values()) {
        if (s.key.equals(key)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown scenario '"
              + key
              + "'; known: "
              + Arrays.stream(values()).map(Scenario::key).collect(Collectors.joining(", ")));
    }
  }

  /** What to run; {@code strace} is empty for "auto" (use it when it works). */
  public record Options(
      int seconds,
      int repetitions,
      int settleSeconds,
      List<Scenario> scenarios,
      Optional<Boolean> strace) {

    public static Options defaults() {
      return new Options(
          60,
          5,
          10,
          List.of(Scenario.BASELINE, Scenario.HOTCONF, Scenario.COMMONS_100MS, Scenario.COMMONS_1S),
          Optional.empty());
    }

    /** Parses {@code --name value} or {@code --name=value}; unknown names are rejected. */
    public static Options parse(String... args) {
      Options o = defaults();
      for (Map.Entry<String, String> option : Args.options(args)) {
        String name = option.getKey();
        String value = option.getValue();
        o =
            switch (name) {
              case "seconds" ->
                  new Options(
                      Integer.parseInt(value),
                      o.repetitions,
                      o.settleSeconds,
                      o.scenarios,
                      o.strace);
              case "repetitions" ->
                  new Options(
                      o.seconds, Integer.parseInt(value), o.settleSeconds, o.scenarios, o.strace);
              case "settle-seconds" ->
                  new Options(
                      o.seconds, o.repetitions, Integer.parseInt(value), o.scenarios, o.strace);
              case "scenarios" ->
                  new Options(
                      o.seconds,
                      o.repetitions,
                      o.settleSeconds,
                      Arrays.stream(value.split(",")).map(Scenario::byKey).toList(),
                      o.strace);
              case "strace" ->
                  new Options(
                      o.seconds,
                      o.repetitions,
                      o.settleSeconds,
                      o.scenarios,
                      switch (value) {
                        case "auto" -> Optional.<Boolean>empty();
                        case "on" -> Optional.of(true);
                        case "off" -> Optional.of(false);
                        default ->
                            throw new IllegalArgumentException(
                                "--strace takes auto, on or off, not '" + value + "'");
                      });
              default ->
                  throw new IllegalArgumentException(
                      "unknown option --"
                          + name
                          + "; known: --seconds, --repetitions, --settle-seconds, --scenarios, --strace");
            };
      }
      if (o.seconds < 1 || o.repetitions < 1 || o.settleSeconds < 0 || o.scenarios.isEmpty()) {
        throw new IllegalArgumentException(
            "need --seconds >= 1, --repetitions >= 1, --settle-seconds >= 0 and a"
                + " scenario: "
                + o);
      }
      return o;
    }
  }

  /** One child's idle window: CPU in nanoseconds, and the window in epoch microseconds. */
  public record Sample(
      Scenario scenario,
      long processCpuNanos,
      long scenarioThreadsCpuNanos,
      long wallNanos,
      int scenarioThreads,
      long startEpochMicros,
      long endEpochMicros,
      String threadDetail) {

    double perMinute(long nanos) {
      return nanos / 1e6 * 60e9 / wallNanos;
    }
  }

  /** System calls made inside the idle window of one traced child, by name. */
  public record Syscalls(Scenario scenario, Map<String, Integer> byName, long windowMicros) {
    int total() {
      return byName.values().stream().mapToInt(Integer::intValue).sum();
    }

    double perMinute(int count) {
      return count * 60e6 / windowMicros;
    }
  }

  /** Per scenario: the untraced samples (one per repetition) and the traced counts, if any. */
  public record Result(Scenario scenario, List<Sample> samples, Optional<Syscalls> syscalls) {
    /** Median process CPU, ms per minute of idle. */
    public double cpuMsPerMinute() {
      return median(samples.stream().mapToDouble(s -> s.perMinute(s.processCpuNanos())).toArray());
    }

    /** Median CPU of the threads the scenario started, ms per minute. */
    public double scenarioThreadsCpuMsPerMinute() {
      return median(
          samples.stream().mapToDouble(s -> s.perMinute(s.scenarioThreadsCpuNanos())).toArray());
    }

    double minCpu() {
      return samples.stream().mapToDouble(s -> s.perMinute(s.processCpuNanos())).min().orElse(0);
    }

    double maxCpu() {
      return samples.stream().mapToDouble(s -> s.perMinute(s.processCpuNanos())).max().orElse(0);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Scenario.byKey(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    Options o = Options.parse(args);
    List<Result> results = run(o, System.err);
    System.out.println(report(o, results));
  }

  /** Runs every repetition (children side by side) and, if asked, one traced round. */
  public static List<Result> run(Options o, PrintStream log)
      throws IOException, InterruptedException {
    boolean strace = o.strace().orElseGet(IdleCost::straceWorks);
    log.printf(Locale.ROOT, "idle cost: %s, strace %s%n", o, strace ? "on" : "off");
    Map<Scenario, List<Sample>> samples = new LinkedHashMap<>();
    o.scenarios().forEach(s -> samples.put(s, new ArrayList<>()));
    Path work = Files.createTempDirectory("hotconf-idle-cost");
    try {
      for (int rep = 1; rep <= o.repetitions(); rep++) {
        for (Sample s : round(o, work, false)) {
          samples.get(s.scenario()).add(s);
          log.printf(
              Locale.ROOT,
              "  rep %d %-14s process CPU %.1f ms/min, scenario threads %.2f ms/min (%d: %s)%n",
              rep,
              s.scenario().key(),
              s.perMinute(s.processCpuNanos()),
              s.perMinute(s.scenarioThreadsCpuNanos()),
              s.scenarioThreads(),
              s.threadDetail());
        }
      }
      Map<Scenario, Syscalls> calls = new LinkedHashMap<>();
      if (strace) {
        List<Sample> traced = round(o, work, true);
        for (Sample s : traced) {
          Path trace = work.resolve("trace-" + s.scenario().key() + ".txt");
          calls.put(
              s.scenario(),
              new Syscalls(
                  s.scenario(),
                  countSyscalls(
                      Files.readAllLines(trace), s.startEpochMicros(), s.endEpochMicros()),
                  s.endEpochMicros() - s.startEpochMicros()));
          log.printf(
              Locale.ROOT,
              "  traced %-14s %s%n",
              s.scenario().key(),
              calls.get(s.scenario()).byName());
        }
      }
      List<Result> results = new ArrayList<>();
      samples.forEach(
          (s, list) -> results.add(new Result(s, list, Optional.ofNullable(calls.get(s)))));
      return results;
    } finally {
      FileReplacement.deleteTree(work);
    }
  }

  /** One child per scenario, started together, each idling for the same window. */
  private static List<Sample> round(Options o, Path work, boolean traced)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<Scenario, Process> running = new LinkedHashMap<>();
    for (Scenario s : o.scenarios()) {
      List<String> cmd = new ArrayList<>();
      if (traced) {
        cmd.addAll(
            List.of(
                "strace",
                "-f",
                "-qq",
                "-ttt",
                "-o",
                work.resolve("trace-" + s.key() + ".txt").toString()));
      }
      cmd.addAll(
          List.of(
              java,
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp",
              System.getProperty("java.class.path"),
              IdleCost.class.getName(),
              "--child",
              s.key(),
              Integer.toString(o.settleSeconds()),
              Integer.toString(o.seconds())));
      running.put(
          s,
          new ProcessBuilder(cmd)
              .redirectOutput(work.resolve("out-" + s.key() + ".txt").toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start());
    }
    List<Sample> samples = new ArrayList<>();
    for (Map.Entry<Scenario, Process> e : running.entrySet()) {
      Process p = e.getValue();
      if (!p.waitFor(o.settleSeconds() + o.seconds() + 180L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("child " + e.getKey().key() + " did not finish");
      }
      String out = Files.readString(work.resolve("out-" + e.getKey().key() + ".txt"));
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "child " + e.getKey().key() + " exited with " + p.exitValue() + ": " + out);
      }
      samples.add(parseSample(e.getKey(), out));
    }
    return samples;
  }

  static Sample parseSample(Scenario scenario, String childOutput) {
    String detail = "";
    for (String line : childOutput.split("\n")) {
      if (line.startsWith("THREADS")) {
        detail = line.substring("THREADS".length()).trim();
      }
    }
    for (String line : childOutput.split("\n")) {
      if (line.startsWith(MARK + " ")) {
        Map<String, Long> v = new TreeMap<>();
        for (String kv : line.substring(MARK.length() + 1).trim().split(" ")) {
          int eq = kv.indexOf('=');
          v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return new Sample(
            scenario,
            v.get("cpuNanos"),
            v.get("threadCpuNanos"),
            v.get("wallNanos"),
            v.get("threads").intValue(),
            v.get("startMicros"),
            v.get("endMicros"),
            detail);
      }
    }
    throw new IllegalStateException(
        "no " + MARK + " line from child " + scenario.key() + ": " + childOutput);
  }

  // strace -f -ttt lines: "[pid] seconds.micros name(args...) = result", or "... <unfinished ...>";
  // "<... name resumed>" lines continue a call already counted; signals and exits are not calls
  private static final Pattern CALL =
      Pattern.compile("^(?:\\d+\\s+)?(\\d+)\\.(\\d{6})\\s+([a-z_0-9]+)\\(");

  /** Counts, by name, the calls in an {@code strace -f -ttt} log that started within the window. */
  static Map<String, Integer> countSyscalls(
      List<String> traceLines, long fromEpochMicros, long toEpochMicros) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : traceLines) {
      Matcher m = CALL.matcher(line);
      if (!m.find()) {
        continue;
      }
      long micros = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
      if (micros >= fromEpochMicros && micros < toEpochMicros) {
        counts.merge(m.group(3), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static boolean straceWorks() {
    try {
      Process p =
          new ProcessBuilder("strace", "-f", "-qq", "-o", "/dev/null", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- the child: set up, settle, measure one idle window, print one line

  private static void child(Scenario scenario, int settleSeconds, int seconds) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Set<Long> before = new HashSet<>();
    Arrays.stream(threads.getAllThreadIds()).forEach(before::add);
    Path dir = Files.createTempDirectory("hotconf-idle-" + scenario.key());
    Files.writeString(dir.resolve(FILE), "service:\n  name: idle\nn: 7\n");
    try (AutoCloseable running = start(scenario, dir.resolve(FILE))) {
      // the scenario's idling is the measurement itself, not synchronisation
      Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
      // the CPU readings (files under /proc) sit just outside the window the traced round counts
      Map<Long, Long> threadCpu0 = scenarioThreadCpu(threads, before);
      long cpu0 = processCpuNanos();
      Instant start = Instant.now();
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long wall = System.nanoTime() - t0;
      Instant end = Instant.now();
      long cpu1 = processCpuNanos();
      Map<Long, Long> threadCpu1 = scenarioThreadCpu(threads, before);
      long threadCpu = 0;
      StringBuilder perThread = new StringBuilder();
      for (Map.Entry<Long, Long> e : threadCpu1.entrySet()) {
        long used = e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L);
        threadCpu += used;
        java.lang.management.ThreadInfo info = threads.getThreadInfo(e.getKey());
        perThread
            .append(' ')
            .append(info == null ? "?" : info.getThreadName().replace(' ', '_'))
            .append('=')
            .append(String.format(Locale.ROOT, "%.2fms", used / 1e6));
      }
      System.out.printf(
          Locale.ROOT,
          "%s cpuNanos=%d threadCpuNanos=%d wallNanos=%d threads=%d startMicros=%d"
              + " endMicros=%d%n",
          MARK,
          cpu1 - cpu0,
          threadCpu,
          wall,
          threadCpu1.size(),
          micros(start),
          micros(end));
      System.out.printf(Locale.ROOT, "THREADS%s%n", perThread);
    } finally {
      FileReplacement.deleteTree(dir);
    }
  }

  private static AutoCloseable start(Scenario scenario, Path file) throws Exception {
    return switch (scenario) {
      case BASELINE -> () -> {};
      case HOTCONF -> hotconf(file, FileSourceConfig.builder().build());
      case HOTCONF_NO_RESCAN ->
          hotconf(file, FileSourceConfig.builder().rescanInterval(Duration.ZERO).build());
      case COMMONS_100MS -> commons(file, 100);
      case COMMONS_1S -> commons(file, 1_000);
    };
  }

  private static AutoCloseable hotconf(Path file, FileSourceConfig settings) throws Exception {
    FileSource source = FileSource.watching(file, settings);
    HotConfig config = HotConfig.builder().name("idle").source(source).build();
    IntSetting n = config.intSetting("n", -1);
    if (n.getAsInt() != 7) {
      config.close();
      throw new IllegalStateException("hotconf did not read the file: " + n.getAsInt());
    }
    return () -> {
      config.close();
      source.close();
    };
  }

  private static AutoCloseable commons(Path file, long periodMillis) throws Exception {
    ReloadingFileBasedConfigurationBuilder<YAMLConfiguration> builder =
        FilePropagation.commonsBuilder(file, 0L);
    if (builder.getConfiguration().getInt("n", -1) != 7) {
      throw new IllegalStateException("Commons Configuration did not read the file");
    }
    PeriodicReloadingTrigger trigger =
        new PeriodicReloadingTrigger(
            builder.getReloadingController(), null, periodMillis, TimeUnit.MILLISECONDS);
    trigger.start();
    return trigger::shutdown;
  }

  /**
   * The process's CPU time: the sum of every thread's nanosecond run time from {@code
   * /proc/self/task/TID/schedstat} on Linux (JVM threads included), else {@code
   * OperatingSystemMXBean#getProcessCpuTime} (on Linux that one counts in 10 ms clock ticks, too
   * coarse for an idle process).
   */
  static long processCpuNanos() {
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      long sum = 0;
      try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
        for (Path task : all) {
          sum += taskRunNanos(task.resolve("schedstat"));
        }
        return sum;
      } catch (IOException e) {
        // fall through to the clock-tick figure
      }
    }
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long taskRunNanos(Path schedstat) {
    try {
      String s = Files.readString(schedstat).trim();
      int space = s.indexOf(' ');
      return Long.parseLong(space < 0 ? s : s.substring(0, space));
    } catch (IOException | RuntimeException e) {
      return 0; // the thread ended meanwhile
    }
  }

  private static Map<Long, Long> scenarioThreadCpu(ThreadMXBean threads, Set<Long> before) {
    Map<Long, Long> cpu = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = before.contains(id) ? -1 : threads.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }

  // ---- report

  /**
   * File-system calls: what a periodic check or a watch makes (stat family, open/read, inotify,
   * polls).
   */
  static boolean fileSystemCall(String name) {
    return name.contains("stat")
        || name.startsWith("open")
        || name.equals("close")
        || name.startsWith("read")
        || name.equals("pread64")
        || name.equals("getdents64")
        || name.startsWith("access")
        || name.startsWith("faccessat")
        || name.startsWith("inotify")
        || name.equals("lseek");
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The results as Markdown tables. */
  public static String report(Options o, List<Result> results) {
    Optional<Result> base =
        results.stream().filter(r -> r.scenario() == Scenario.BASELINE).findFirst();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Idle window %d s per child, %d repetitions (median; min-max), %d s settle." + "%n%n",
            o.seconds(),
            o.repetitions(),
            o.settleSeconds()));
    sb.append(
        "| scenario | process CPU ms/min | min-max | above baseline ms/min | scenario threads CPU ms/min |\n");
    sb.append("|---|---|---|---|---|\n");
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f-%.1f | %s | %.2f |%n",
              r.scenario().description(),
              r.cpuMsPerMinute(),
              r.minCpu(),
              r.maxCpu(),
              base.filter(b -> b != r)
                  .map(
                      b ->
                          String.format(
                              Locale.ROOT, "%+.1f", r.cpuMsPerMinute() - b.cpuMsPerMinute()))
                  .orElse("-"),
              r.scenarioThreadsCpuMsPerMinute()));
    }
    if (results.stream().anyMatch(r -> r.syscalls().isPresent())) {
      sb.append(
          "\n| scenario (traced round) | syscalls/min | above baseline | file-system syscalls/min | above baseline"
              + " | most frequent above baseline (per min) |\n|---|---|---|---|---|---|\n");
      Optional<Syscalls> b = base.flatMap(Result::syscalls);
      for (Result r : results) {
        r.syscalls().ifPresent(c -> sb.append(syscallRow(c, b.filter(x -> x != c))));
      }
    }
    return sb.toString();
  }

  private static String syscallRow(Syscalls c, Optional<Syscalls> base) {
    int fs =
        c.byName().entrySet().stream()
            .filter(e -> fileSystemCall(e.getKey()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    double fsPerMin = c.perMinute(fs);
    String aboveTotal =
        base.map(
                b ->
                    String.format(
                        Locale.ROOT, "%+.0f", c.perMinute(c.total()) - b.perMinute(b.total())))
            .orElse("-");
    String aboveFs =
        base.map(
                b ->
                    String.format(
                        Locale.ROOT,
                        "%+.0f",
                        fsPerMin
                            - b.perMinute(
                                b.byName().entrySet().stream()
                                    .filter(e -> fileSystemCall(e.getKey()))
                                    .mapToInt(Map.Entry::getValue)
                                    .sum())))
            .orElse("-");
    String top =
        base.map(
                b ->
                    c.byName().entrySet().stream()
                        .map(
                            e ->
                                Map.entry(
                                    e.getKey(),
                                    c.perMinute(e.getValue())
                                        - b.perMinute(b.byName().getOrDefault(e.getKey(), 0))))
                        .filter(e -> e.getValue() >= 0.5)
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .limit(5)
                        .map(e -> String.format(Locale.ROOT, "%s %+.0f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")))
            .orElse("-");
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %s | %.0f | %s | %s |%n",
        c.scenario().description(),
        c.perMinute(c.total()),
        aboveTotal,
        fsPerMin,
        aboveFs,
        top.isEmpty() ? "none" : top);
  }
}
