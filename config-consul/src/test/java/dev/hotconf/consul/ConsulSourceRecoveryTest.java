package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.consul.internal.RetryBackoff;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that takes the request and never answers, and outages (the agent down, connections
 * refused, then back on the same port) with a change made meanwhile. Timings are scaled down
 * through the builder (1 s waits, backoff from 100 ms); the same runs at the default settings, with
 * their latencies, are {@code ConsulOutages} in the benchmarks module.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulSourceRecoveryTest {
  private static final String KEY = "config/app/data";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private RecordingListener start(ConsulSourceConfig config) {
    source = ConsulSource.create(config);
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    return listener;
  }

  /**
   * The defaults give up on a request that gets no answer, and retry, well within 90 s: the read
   * timeout is {@code wait + wait/16 + 15 s} = 78.75 s and the first retry waits at most 1 s. (It
   * was 5 m 33.75 s: a half-dead node held the source for over five minutes.)
   */
  @Test
  void atTheDefaultsAHungRequestIsAbandonedAndRetriedWithin90Seconds() {
    ConsulSourceConfig defaults = ConsulSourceConfig.key(KEY).build();
    Duration longestAnswer = defaults.waitTime().plus(defaults.waitTime().dividedBy(16));
    assertThat(defaults.readTimeout()).isGreaterThan(longestAnswer);
    assertThat(defaults.readTimeout().plus(defaults.initialBackoff()))
        .isLessThanOrEqualTo(Duration.ofSeconds(90));
  }

  /**
   * The blocking query after a change meets a node that never answers; a change made meanwhile is
   * delivered once the read timeout (scaled: 1 s + 1/16 s + 0.5 s) gives up on it and the retry, a
   * plain read, reaches a healthy server. The hung request stays hung on the server: the client
   * left it, as it would leave a half-dead node.
   */
  @Test
  void aRequestThatIsNeverAnsweredIsAbandonedAndTheSourceRecovers() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);

    server.enqueue(Fault.hang().onMethod("GET")); // taken by the next read, not the parked one
    server.put(KEY, "a: 2");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangingRequestCount() == 1);
    server.put(KEY, "a: 3");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Map.of("a", 3L).equals(listener.lastContent()));
    assertThat(listener.failures())
        .singleElement()
        .asString()
        .contains("no answer from Consul at " + server.url())
        .contains("within the read timeout of 1s562ms")
        .contains("retrying with backoff");
    assertThat(server.hangingRequestCount()).as("abandoned by the client, not answered").isOne();
    server.clearFaults();
  }

  /**
   * Three outages with a change made during each: every time, the pending change goes live once the
   * agent is back, and the source is parked on a blocking query again. Each retry is a plain read;
   * during an outage each one fails at once (connection refused) and is reported.
   */
  @Test
  void theChangeMadeDuringAnOutageGoesLiveWhenConsulIsBack() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "n: 0");
    RecordingListener listener =
        start(
            TestConfigs.key(server, KEY)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    for (int i = 1; i <= 3; i++) {
      int n = i;
      await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);
      int failuresBefore = listener.failures().size();
      server.suspend();
      server.put(KEY, "n: " + n);
      // down for a while: failures are reported, the last good content stays
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> listener.failures().size() > failuresBefore && !isLive(listener, n));
      server.resume();
      await().atMost(Duration.ofSeconds(10)).until(() -> isLive(listener, n));
      assertThat(listener.failures().get(failuresBefore)).contains("cannot read from Consul at");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);
  }

  /**
   * A long outage: the gap before each retry is at least half its ceiling, which grows 1.5x per
   * retry up to the cap, so the source settles at one request per {@code max/2} to {@code max} and
   * never more (10-20 s at the defaults; here 0.25-0.5 s). Gaps are lower bounds on time, which a
   * slow machine only lengthens. The schedule before this one drew every wait from [initial/2,
   * ceiling], so at the cap a client could retry every 50 ms here (every 0.5 s at the defaults).
   */
  @Test
  void aLongOutageSettlesAtOneRequestPerHalfTheCapOrLess() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "n: 0");
    Duration initial = Duration.ofMillis(100);
    Duration max = Duration.ofMillis(500);
    RecordingListener listener = start(TestConfigs.key(server, KEY).backoff(initial, max).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);

    server.suspend();
    server.put(KEY, "n: 1");
    await().atMost(Duration.ofSeconds(40)).until(() -> listener.failures().size() >= 16);
    server.resume();
    await().atMost(Duration.ofSeconds(10)).until(() -> isLive(listener, 1));

    RetryBackoff schedule = new RetryBackoff(initial, max);
    List<Long> times = listener.failureTimes();
    for (int retry = 1; retry < 16; retry++) {
      long gapMillis = TimeUnit.NANOSECONDS.toMillis(times.get(retry) - times.get(retry - 1));
      assertThat(gapMillis)
          .as("gap before retry %d", retry)
          .isGreaterThanOrEqualTo(schedule.floorMillis(retry) - 5);
      if (retry >= 5) { // at the cap: 500 ms from the 5th retry on (100 ms x 1.5^4 > 500 ms)
        assertThat(gapMillis)
            .as("gap before retry %d, at the cap", retry)
            .isGreaterThanOrEqualTo(245);
      }
    }
  }

  private static boolean isLive(RecordingListener listener, int n) {
    return Map.of("n", (long) n).equals(listener.lastContent());
  }
}
