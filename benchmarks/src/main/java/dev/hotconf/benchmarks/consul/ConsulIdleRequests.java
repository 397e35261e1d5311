package dev.hotconf.benchmarks.consul;

import dev.hotconf.HotConfig;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Requests made by an idle client: one {@link HotConfig} with one {@link ConsulSource} on one key
 * that never changes, against a {@link ConsulTestServer} with Consul's jitter on (a random extra
 * {@code [0, wait/16)} per blocking query). Counts the server's recorded requests over the window
 * and the interval between consecutive blocking queries, and extrapolates to requests per hour.
 *
 * <p>Arguments ({@code name=value}): {@code waitS} (10) the source's blocking wait; {@code
 * durationS} (60) the observation window; {@code refillMs} (0 = the default rate limit).
 */
public final class ConsulIdleRequests {

  /**
   * {@code requests}: answered requests in the window; {@code nonBlocking}: those with index 0 (the
   * first read); {@code meanIntervalS}: mean time between the starts of consecutive blocking
   * queries; {@code perHour}: 3600 / meanIntervalS; {@code allBlocking}: every read after the first
   * carried {@code ?index>0&wait=<waitS>s}.
   */
  public record Result(
      int requests,
      int nonBlocking,
      double meanIntervalS,
      double perHour,
      boolean allBlocking,
      double seconds,
      List<Double> intervalsS) {}

  private ConsulIdleRequests() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    Args a = new Args(args, Set.of("waitS", "durationS", "refillMs"));
    int waitS = a.intValue("waitS", 10);
    int durationS = a.intValue("durationS", 60);
    Result r = run(waitS, Duration.ofSeconds(durationS), a.longValue("refillMs", 0));
    System.out.printf(Locale.ROOT, "ConsulIdleRequests wait=%ds window=%ds%n", waitS, durationS);
    System.out.printf(
        Locale.ROOT,
        "requests answered: %d (non-blocking: %d), all later reads blocking: %s%n",
        r.requests(),
        r.nonBlocking(),
        r.allBlocking());
    System.out.printf(
        Locale.ROOT,
        "mean interval between blocking queries: %.2f s -> %.1f requests/hour%n",
        r.meanIntervalS(),
        r.perHour());
    StringBuilder sb = new StringBuilder("intervals between blocking queries, s:");
    r.intervalsS().forEach(v -> sb.append(String.format(Locale.ROOT, " %.2f", v)));
    System.out.println(sb);
    double defaultWaitS = ConsulSourceConfig.DEFAULT_WAIT.toSeconds();
    double jitteredDefault = defaultWaitS + defaultWaitS / 32.0;
    System.out.printf(
        Locale.ROOT,
        "analytic at the default %.0f s wait: 3600/%.3f = %.2f requests/hour "
            + "(Consul's mean jitter wait/32), %.2f without jitter%n",
        defaultWaitS,
        jitteredDefault,
        3600 / jitteredDefault,
        3600 / defaultWaitS);
  }

  public static Result run(int waitS, Duration window, long refillMs) throws Exception {
    long start = System.nanoTime();
    try (ConsulTestServer server = ConsulTestServer.builder().build().start()) {
      server.put(ConsulPropagation.KEY, "n: 1\n");
      ConsulSourceConfig.Builder cfg =
          ConsulSourceConfig.key(ConsulPropagation.KEY)
              .address(server.url())
              .waitTime(Duration.ofSeconds(waitS));
      if (refillMs > 0) {
        cfg.rateLimit(2, Duration.ofMillis(refillMs));
      }
      try (HotConfig config =
          HotConfig.builder().name("idle").source(ConsulSource.create(cfg.build())).build()) {
        // the scenario is "idle for the window": sleeping is the measurement here, not
        // synchronisation
        Polling.pause(window.toNanos() - (System.nanoTime() - start));
        List<RecordedRequest> reqs = new ArrayList<>(server.requests());
        int nonBlocking = 0;
        boolean allBlocking = true;
        List<RecordedRequest> blocking = new ArrayList<>();
        for (RecordedRequest r : reqs) {
          long index = r.index().orElse(0);
          if (index == 0) {
            nonBlocking++;
          } else {
            blocking.add(r);
            allBlocking &= r.queryParameter("wait").map(w -> w.equals(waitS + "s")).orElse(false);
          }
        }
        allBlocking &= nonBlocking == 1;
        List<Double> intervals = new ArrayList<>();
        for (int i = 1; i < blocking.size(); i++) {
          intervals.add(
              Duration.between(blocking.get(i - 1).receivedAt(), blocking.get(i).receivedAt())
                      .toNanos()
                  / 1e9);
        }
        double meanInterval = Double.NaN;
        if (blocking.size() >= 2) {
          Duration span =
              Duration.between(
                  blocking.get(0).receivedAt(), blocking.get(blocking.size() - 1).receivedAt());
          meanInterval = span.toNanos() / 1e9 / (blocking.size() - 1);
        }
        return new Result(
            reqs.size(),
            nonBlocking,
            meanInterval,
            3600 / meanInterval,
            allBlocking,
            (System.nanoTime() - start) / 1e9,
            intervals);
      }
    }
  }
}
