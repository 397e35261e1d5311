package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TTL reaper thread a server on the system clock runs: it invalidates a session when its
 * deadline passes. Driven here by a clock the test moves (the thread waits for the next deadline or
 * any change), so no test waits for a real TTL.
 */
@Timeout(30)
class SessionReaperTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final KvStore kv = new KvStore();
  private final SessionStore sessions = new SessionStore(kv, clock, true);

  @AfterEach
  void tearDown() {
    sessions.close();
    kv.close();
  }

  @Test
  void theReaperInvalidatesASessionOnceItsDeadlineHasPassed() throws Exception {
    sessions.start("test-reaper");
    ConsulSession s =
        sessions.create(
            "{\"TTL\":\"10s\",\"Behavior\":\"delete\",\"LockDelay\":0}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(sessions.acquire("acks/app/i1", new byte[] {1}, 0, s.id())).isTrue();
    ConsulSession other = sessions.create("{\"TTL\":\"60s\"}".getBytes(StandardCharsets.UTF_8));

    clock.advance(Duration.ofSeconds(20));
    sessions.renew(other.id()); // any change wakes the reaper, which re-reads the clock

    await().until(() -> sessions.get(s.id()).isEmpty());
    assertThat(kv.get("acks/app/i1")).isEmpty();
    assertThat(sessions.get(other.id())).as("renewed: its deadline moved").isPresent();
  }

  @Test
  void closeStopsTheReaperThread() {
    sessions.start("test-reaper-close");

    sessions.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("test-reaper-close"));
  }
}
