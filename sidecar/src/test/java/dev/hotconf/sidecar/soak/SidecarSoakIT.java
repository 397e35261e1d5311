package dev.hotconf.sidecar.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hotconf.ConfigStatus;
import dev.hotconf.sidecar.run.SidecarProcess;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.Fault;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: the real sidecar in-process for {@code hotconf.soak.duration} (default 10s; {@code -Psoak}:
 * 30m) with everything going wrong at once, all the time:
 *
 * <ul>
 *   <li>a file source rewritten continuously in every way tools replace a file ({@link WriteMode}),
 *       with YAML syntax errors and schema violations among the valid versions;
 *   <li>a Consul source ({@link ConsulTestServer}) whose value changes (valid, syntax errors,
 *       schema violations, identical rewrites) while scripted faults hit its reads: 5xx, 429,
 *       delays, slow bodies, connection resets, garbage bodies, the index going backwards or to
 *       zero;
 *   <li>three HTTP push targets ({@link FaultyReceiver}) switching between answering 2xx, 5xx,
 *       slowly (within and beyond the sidecar's timeout) and not listening at all, plus a file
 *       target.
 * </ul>
 *
 * It proves what a user relies on: every body pushed (and every content of the file target) is a
 * valid combination of a valid file version and a valid Consul version; per target, versions and
 * both sources' contents never go back; after writers and faults stop and a last valid version is
 * written, every target converges to it; and the thread count and the heap used after GC stay flat.
 * A summary table is printed. Seeded: {@code -Dhotconf.soak.seed=N} replays the actors' choices
 * (timing still varies).
 */
// a ceiling for -Dhotconf.soak.duration up to 2h; the real limit, duration + 3 min, is in the test
@Timeout(value = 3, unit = TimeUnit.HOURS)
class SidecarSoakIT {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);
  private static final int THREAD_MARGIN = 10;
  private static final double MIN_HEAP_SLOPE_LIMIT = 2 * 1024; // bytes per second
  private static final double HEAP_GROWTH_ALLOWANCE = 4 * 1024 * 1024; // bytes over the steady span

  @TempDir Path dir;

  private final Pace pace = new Pace();
  private final Ledger ledger = new Ledger();
  private final Violations violations = new Violations();
  private final Samples samples = new Samples();
  private final List<Thread> actors = new ArrayList<>();
  private final List<FaultyReceiver> receivers = new ArrayList<>();
  private final Map<WriteMode, AtomicLongArray> fileWrites =
      new EnumMap<>(WriteMode.class); // valid, syntax, schema
  private final AtomicLongArray consulWrites =
      new AtomicLongArray(4); // valid, syntax, schema, identical
  private final Map<String, AtomicLong> consulFaults = new ConcurrentHashMap<>();
  private final AtomicInteger fileSeq = new AtomicInteger();
  private final AtomicInteger consulSeq = new AtomicInteger();
  private final AtomicLong fileTargetChanges = new AtomicLong();
  private ConsulTestServer consul;
  private SidecarProcess runner;

  @AfterEach
  void stopEverything() throws Exception {
    pace.stop();
    for (Thread t : actors) {
      t.join(10_000);
    }
    if (runner != null) {
      runner.close();
    }
    receivers.forEach(FaultyReceiver::close);
    if (consul != null) {
      consul.close();
    }
  }

  static Duration duration() {
    String v = System.getProperty("hotconf.soak.duration", "10s").trim();
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
    if (!m.matches()) {
      return Duration.parse(v);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  @Test
  void
      underFileTortureConsulFaultsAndFailingTargetsOnlyValidVersionsAreDeliveredAndResourcesStayFlat() {
    Duration duration = duration();
    // start-up, convergence (Consul backoff can reach a minute) and the report fit in 3 minutes
    assertTimeoutPreemptively(duration.plusMinutes(3), () -> soak(duration));
  }

  private void soak(Duration duration) throws Exception {
    long seed = Long.getLong("hotconf.soak.seed", System.nanoTime());
    System.out.println(
        "SidecarSoakIT: duration "
            + duration
            + ", seed "
            + seed
            + " (replay with -Dhotconf.soak.seed="
            + seed
            + ")");
    Random seeds = new Random(seed);
    Instant began = Instant.now();
    startSidecar();
    Path out = dir.resolve("out/app.json");

    actor("soak-file-writer", seeds.nextLong(), this::writeFile);
    actor("soak-consul-writer", seeds.nextLong(), this::writeConsul);
    actor("soak-consul-faults", seeds.nextLong(), this::consulFault);
    for (FaultyReceiver r : receivers) {
      actor("soak-faults-" + r.name(), seeds.nextLong(), rnd -> switchMode(r, rnd));
    }
    actor("soak-file-target", seeds.nextLong(), rnd -> watchFileTarget(out));

    Duration every = clamp(duration.dividedBy(120), Duration.ofSeconds(1), Duration.ofSeconds(15));
    long end = System.nanoTime() + duration.toNanos();
    Samples.Sample lastDuringRun = null;
    while (System.nanoTime() < end) {
      consul.clearRequests(); // the double's request log is the soak's to empty
      lastDuringRun = samples.take();
      pace.pause(Duration.ofNanos(Math.min(every.toNanos(), Math.max(1, end - System.nanoTime()))));
      if (System.nanoTime() >= end) {
        break;
      }
    }
    if (lastDuringRun == null || samples.all().size() < 3) {
      lastDuringRun = samples.take();
    }
    pace.stop();
    for (Thread t : actors) {
      t.join(30_000);
      assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
    }

    int finalFile = converge(out);
    ConfigStatus status = runner.publisher().hotConfig().status();
    Samples.Sample after = samples.take();
    String metrics = get("/metrics");
    printSummary(duration, began, status, metrics, lastDuringRun, after, finalFile);

    assertThat(violations.first()).as(violations.count() + " violations").isEmpty();
    assertDidSoak(status);
    assertFlat(lastDuringRun);
  }

  // ---- the sidecar ----

  private void startSidecar() throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    ledger.fileValid(0);
    ledger.consulValid(0);
    Files.writeString(config.resolve("app.yaml"), Ledger.validFile(0));
    Files.writeString(dir.resolve("schema.json"), Ledger.SCHEMA);
    consul = ConsulTestServer.builder().jitter(false).build().start();
    consul.put("config/app/soak", Ledger.validConsul(0));
    for (String name : List.of("a", "b", "c")) {
      receivers.add(new FaultyReceiver(name, ledger, violations, pace, CLIENT_TIMEOUT));
    }
    for (WriteMode m : WriteMode.values()) {
      fileWrites.put(m, new AtomicLongArray(3));
    }
    List<String> lines =
        new ArrayList<>(
            List.of(
                "sources:",
                "  - type: file",
                "    path: config/app.yaml",
                "    debounce: 50ms",
                "  - type: consul",
                "    address: " + consul.url(),
                "    key: config/app/soak",
                "    wait: 5s",
                "schema: schema.json",
                "server:",
                "  listen: 127.0.0.1:0",
                "start-timeout: 20s",
                "targets:"));
    for (FaultyReceiver r : receivers) {
      lines.addAll(
          List.of(
              "  - url: " + r.url(),
              "    timeout: " + CLIENT_TIMEOUT.toMillis() + "ms",
              "    max-backoff: 2s"));
    }
    lines.add("  - file: out/app.json");
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    runner =
        SidecarProcess.load(
            file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    runner.start();
  }

  // ---- the actors ----

  private interface Step {
    /** One step of an actor; returns false to stop. */
    boolean run(Random rnd) throws Exception;
  }

  private void actor(String name, long seed, Step step) {
    Thread t =
        new Thread(
            () -> {
              Random rnd = new Random(seed);
              try {
                while (pace.running() && step.run(rnd)) {
                  // next step
                }
              } catch (Exception | AssertionError e) {
                violations.add(name, "actor failed: " + e);
              }
            },
            name);
    t.setDaemon(true);
    actors.add(t);
    t.start();
  }

  private boolean writeFile(Random rnd) throws Exception {
    Path file = dir.resolve("config/app.yaml");
    WriteMode mode = WriteMode.values()[rnd.nextInt(WriteMode.values().length)];
    int seq = fileSeq.incrementAndGet();
    int roll = rnd.nextInt(100);
    String content;
    if (roll < 14) {
      content = Ledger.syntaxInvalidFile(seq);
      fileWrites.get(mode).incrementAndGet(1);
    } else if (roll < 28) {
      content = Ledger.schemaInvalidFile(seq);
      fileWrites.get(mode).incrementAndGet(2);
    } else {
      ledger.fileValid(seq);
      content = Ledger.validFile(seq);
      fileWrites.get(mode).incrementAndGet(0);
    }
    mode.write(file, content, rnd, pace, kube());
    // mostly shorter than the 50ms debounce, often longer
    return pace.pause(
        Duration.ofMillis(rnd.nextInt(100) < 60 ? rnd.nextInt(25) : 55 + rnd.nextInt(150)));
  }

  private KubernetesConfigMapVolume kube;

  private KubernetesConfigMapVolume kube() {
    if (kube == null) {
      kube = new KubernetesConfigMapVolume(dir.resolve("config"));
    }
    return kube;
  }

  /**
   * Changes the Consul value every 0.1-0.7 s. An invalid value stays only 50-150 ms: the source
   * reads about once a second under this churn (its rate limit: burst 3, one read per second) and,
   * while the value it read is invalid, every merged candidate is rejected until its next read;
   * invalid values are still read now and then.
   */
  private boolean writeConsul(Random rnd) {
    int roll = rnd.nextInt(100);
    boolean invalid = false;
    if (roll < 6) {
      consul.put("config/app/soak", consul.get("config/app/soak").orElseThrow().valueAsString());
      consulWrites.incrementAndGet(3);
    } else {
      int seq = consulSeq.incrementAndGet();
      String value;
      if (roll < 18) {
        value = Ledger.syntaxInvalidConsul(seq);
        consulWrites.incrementAndGet(1);
        invalid = true;
      } else if (roll < 30) {
        value = Ledger.schemaInvalidConsul(seq);
        consulWrites.incrementAndGet(2);
        invalid = true;
      } else {
        ledger.consulValid(seq);
        value = Ledger.validConsul(seq);
        consulWrites.incrementAndGet(0);
      }
      consul.put("config/app/soak", value);
    }
    return pace.pause(Duration.ofMillis(invalid ? 50 + rnd.nextInt(100) : 100 + rnd.nextInt(600)));
  }

  /**
   * One fault on the next read, then a healthy spell: the Consul source backs off after a failure
   * (1 s growing 1.5x to 20 s) and resets on success, so faults back to back would only measure
   * backoff.
   */
  private boolean consulFault(Random rnd) {
    Map<String, Supplier<Fault>> kinds = new java.util.LinkedHashMap<>();
    kinds.put("500 no leader", Fault::noClusterLeader);
    kinds.put("503", Fault::serviceUnavailable);
    kinds.put("429", Fault::tooManyRequests);
    kinds.put("502", () -> Fault.status(502, "Bad Gateway"));
    kinds.put("delay", () -> Fault.delay(Duration.ofMillis(200 + rnd.nextInt(1800))));
    kinds.put("slow body", () -> Fault.slowBody(16, Duration.ofMillis(20)));
    kinds.put(
        "reset", () -> Fault.connectionReset().times(2)); // java.net.http retries a reset GET once
    kinds.put("garbage body", Fault::garbageBody);
    kinds.put("index backwards", Fault::indexBackwards);
    kinds.put("index zero", Fault::indexZero);
    kinds.put("unknown leader", Fault::unknownLeader);
    String kind = new ArrayList<>(kinds.keySet()).get(rnd.nextInt(kinds.size()));
    consul.enqueue(kinds.get(kind).get().onMethod("GET").onPath("/v1/kv/"));
    consulFaults.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    while (consul.queuedFaultCount() > 0) {
      if (!pace.pause(Duration.ofMillis(20))) {
        return false;
      }
    }
    // the next read (a retry after the fault, or the next change) is answered normally
    int answered = consul.requestCount();
    for (int i = 0; i < 500 && consul.requestCount() == answered; i++) {
      if (!pace.pause(Duration.ofMillis(20))) {
        return false;
      }
    }
    return pace.pause(Duration.ofMillis(300 + rnd.nextInt(2000)));
  }

  private boolean switchMode(FaultyReceiver r, Random rnd) {
    int roll = rnd.nextInt(100);
    FaultyReceiver.Mode m =
        roll < 40
            ? FaultyReceiver.Mode.UP
            : roll < 55
                ? FaultyReceiver.Mode.ERROR
                : roll < 65
                    ? FaultyReceiver.Mode.SLOW_OK
                    : roll < 75 ? FaultyReceiver.Mode.SLOW_TIMEOUT : FaultyReceiver.Mode.DOWN;
    r.mode(m);
    return pace.pause(Duration.ofMillis(200 + rnd.nextInt(2300)));
  }

  private Ledger.Seqs fileTargetLast = new Ledger.Seqs(0, 0);

  private boolean watchFileTarget(Path out) throws Exception {
    String body;
    try {
      body = Files.readString(out);
    } catch (NoSuchFileException e) {
      return pace.pause(Duration.ofMillis(50));
    }
    try {
      Ledger.Seqs s = ledger.check(body);
      if (!s.notBefore(fileTargetLast)) {
        violations.add("file target", s + " after " + fileTargetLast);
      }
      if (!s.equals(fileTargetLast)) {
        fileTargetChanges.incrementAndGet();
      }
      fileTargetLast = s;
    } catch (IllegalStateException e) {
      violations.add("file target", e.getMessage());
    }
    return pace.pause(Duration.ofMillis(50));
  }

  // ---- the end ----

  /** Faults off, targets up, one last valid version of each source: every target must get it. */
  private int converge(Path out) throws Exception {
    consul.clearFaults();
    for (FaultyReceiver r : receivers) {
      r.mode(FaultyReceiver.Mode.UP);
      assertThat(r.listening()).as(r.name() + " listens again on its port").isTrue();
    }
    int f = fileSeq.incrementAndGet();
    ledger.fileValid(f);
    WriteMode.TEMP_RENAME.write(
        dir.resolve("config/app.yaml"), Ledger.validFile(f), new Random(), pace, kube());
    int c = consulSeq.incrementAndGet();
    ledger.consulValid(c);
    consul.put("config/app/soak", Ledger.validConsul(c));
    Ledger.Seqs last = new Ledger.Seqs(f, c);
    await("every target holds the last valid version")
        .atMost(Duration.ofSeconds(100))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              long version = runner.publisher().hotConfig().version();
              for (FaultyReceiver r : receivers) {
                assertThat(r.acceptedSeqs()).as(r.name()).isEqualTo(last);
                assertThat(r.acceptedVersion()).as(r.name()).isEqualTo(version);
              }
              assertThat(ledger.check(Files.readString(out))).as("file target").isEqualTo(last);
              assertThat(runner.publisher().allDelivered()).isTrue();
            });
    return f;
  }

  private void assertDidSoak(ConfigStatus status) {
    long syntax = 0;
    long schema = 0;
    for (AtomicLongArray a : fileWrites.values()) {
      assertThat(a.get(0)).as("valid writes in every mode").isPositive();
      syntax += a.get(1);
      schema += a.get(2);
    }
    assertThat(syntax + consulWrites.get(1)).as("syntax errors written").isPositive();
    assertThat(schema + consulWrites.get(2)).as("schema violations written").isPositive();
    assertThat(status.rejections()).as("the sidecar rejected versions").isPositive();
    // no floor on reloads: while the rate-limited Consul source (about a read per second under
    // this churn) holds an invalid value, every merged candidate is rejected until its next read
    assertThat(consulFaults.values().stream().mapToLong(AtomicLong::get).sum())
        .as("consul faults")
        .isPositive();
    long failed =
        receivers.stream()
            .mapToLong(r -> r.answeredError.get() + r.switches(FaultyReceiver.Mode.DOWN))
            .sum();
    assertThat(failed).as("push targets failed").isPositive();
  }

  private void assertFlat(Samples.Sample lastDuringRun) {
    List<Samples.Sample> steady = samples.steady();
    Samples.Sample start = steady.isEmpty() ? samples.all().get(0) : steady.get(0);
    assertThat(lastDuringRun.threads())
        .as("threads at the end vs after warm-up (%s)", start)
        .isLessThanOrEqualTo(start.threads() + THREAD_MARGIN);
    if (steady.size() >= 3) {
      double span = steady.get(steady.size() - 1).seconds() - steady.get(0).seconds();
      double limit = Math.max(MIN_HEAP_SLOPE_LIMIT, HEAP_GROWTH_ALLOWANCE / span);
      assertThat(Samples.heapSlope(steady))
          .as("heap slope in bytes/s (limit %.0f)", limit)
          .isLessThan(limit);
    }
  }

  // ---- report ----

  private void printSummary(
      Duration duration,
      Instant began,
      ConfigStatus status,
      String metrics,
      Samples.Sample lastDuringRun,
      Samples.Sample after,
      int finalFile) {
    StringBuilder sb = new StringBuilder("\n==== SidecarSoakIT summary ====\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "duration %s (started %s), %d cores, load average %.2f at end%n",
            duration,
            began,
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    sb.append(String.format("%-18s %8s %8s %8s%n", "file write mode", "valid", "syntax", "schema"));
    long[] tot = new long[3];
    fileWrites.forEach(
        (m, a) -> {
          sb.append(String.format("%-18s %8d %8d %8d%n", m, a.get(0), a.get(1), a.get(2)));
          for (int i = 0; i < 3; i++) {
            tot[i] += a.get(i);
          }
        });
    sb.append(
        String.format(
            "%-18s %8d %8d %8d   (final valid file seq %d)%n",
            "total", tot[0], tot[1], tot[2], finalFile));
    sb.append(
        String.format(
            "consul writes: %d valid, %d syntax errors, %d schema violations, %d identical rewrites%n",
            consulWrites.get(0), consulWrites.get(1), consulWrites.get(2), consulWrites.get(3)));
    sb.append("consul faults injected: ").append(new TreeMap<>(consulFaults)).append('\n');
    sb.append(
        String.format(
            "sidecar: version %d, %d published, %d rejected, %d unchanged, %d source failures%n",
            status.version(),
            status.reloads(),
            status.rejections(),
            status.unchanged(),
            status.sourceFailures()));
    sb.append(
        String.format(
            "%-8s %9s %9s %9s %7s %7s %7s %7s %7s %9s %8s%n",
            "target",
            "received",
            "2xx",
            "5xx",
            "up",
            "error",
            "slowok",
            "slowto",
            "down",
            "failures",
            "version"));
    for (FaultyReceiver r : receivers) {
      sb.append(
          String.format(
              "%-8s %9d %9d %9d %7d %7d %7d %7d %7d %9s %8d%n",
              r.name(),
              r.received.get(),
              r.answeredOk.get(),
              r.answeredError.get(),
              r.switches(FaultyReceiver.Mode.UP),
              r.switches(FaultyReceiver.Mode.ERROR),
              r.switches(FaultyReceiver.Mode.SLOW_OK),
              r.switches(FaultyReceiver.Mode.SLOW_TIMEOUT),
              r.switches(FaultyReceiver.Mode.DOWN),
              targetMetric(metrics, "hotconf_target_failures_total", r.url()),
              r.acceptedVersion()));
    }
    sb.append(
        String.format(
            "file target: %d changes seen, %s failures%n",
            fileTargetChanges.get(),
            targetMetric(metrics, "hotconf_target_failures_total", "file:")));
    sb.append(String.format("violations: %d%n", violations.count()));
    sb.append(String.format("%9s %8s %8s %10s%n", "t (s)", "threads", "hotconf", "heap (MiB)"));
    for (Samples.Sample s : samples.all()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%9.1f %8d %8d %10.2f%n",
              s.seconds(),
              s.threads(),
              s.hotconfThreads(),
              s.heapUsed() / 1048576.0));
    }
    List<Samples.Sample> steady = samples.steady();
    sb.append(
        String.format(
            Locale.ROOT,
            "heap slope after warm-up: %.1f bytes/s over %d samples; threads after stop: %d%n",
            Samples.heapSlope(steady),
            steady.size(),
            after.threads()));
    Samples.Sample first = steady.isEmpty() ? samples.all().get(0) : steady.get(0);
    sb.append("threads after warm-up: ").append(first.groups()).append('\n');
    sb.append("thread groups changed from then to the end of the run: ")
        .append(Samples.groupDiff(first, lastDuringRun))
        .append('\n');
    System.out.println(sb);
  }

  private static String targetMetric(String metrics, String name, String targetPrefix) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{target=\"" + targetPrefix)) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return "?";
  }

  private String get(String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runner.address().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }
}
