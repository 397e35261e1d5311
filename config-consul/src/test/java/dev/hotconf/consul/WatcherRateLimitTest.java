package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.consul.internal.KvClient;
import dev.hotconf.consul.internal.KvEntry;
import dev.hotconf.consul.internal.KvException;
import dev.hotconf.consul.internal.KvResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rate limiter at the default settings, on a clock the test drives: each blocking read is
 * answered by the next edit, {@code gap} later on that clock. The loop only waits (in real time)
 * when the bucket is empty, so the test finishes at once exactly when no edit waited for a token;
 * with the previous defaults (burst 2, one per 15 s) the third edit waited 12 s and the class
 * timeout failed it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WatcherRateLimitTest {
  private static final String KEY = "config/app/data";

  @Test
  void editsASecondAndAHalfApartNeverWaitForAToken() {
    RecordingListener listener = runEdits(15, Duration.ofMillis(1500));
    assertThat(listener.contents()).hasSize(16);
    assertThat(listener.lastContent()).isEqualTo(Map.of("n", 15L));
  }

  /**
   * After a quiet minute, an edit and two more right behind it: each is read and the source parks
   * again without waiting (a fourth is still answered by the parked query, but the loop then waits
   * up to a second for its next token).
   */
  @Test
  void threeEditsBackToBackAfterAQuietSpellAreCoveredByTheBurst() {
    RecordingListener listener = runEdits(3, Duration.ofMinutes(1), Duration.ZERO);
    assertThat(listener.contents()).hasSize(4);
  }

  private static RecordingListener runEdits(int edits, Duration gap) {
    return runEdits(edits, gap, gap);
  }

  private static RecordingListener runEdits(int edits, Duration firstGap, Duration gap) {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    EditsClient client = new EditsClient(edits, firstGap, gap, now);
    Watcher watcher =
        new Watcher(ConsulSourceConfig.key(KEY).name("rate").build(), client, now::get); // defaults
    client.watcher = watcher;
    RecordingListener listener = new RecordingListener();
    watcher.run(listener);
    assertThat(client.reads).isEqualTo(edits + 2); // the first read, one per edit, the last one
    assertThat(listener.failures()).isEmpty();
    return listener;
  }

  /**
   * Answers the first read with n: 0, then each blocking read with the next edit: the first one
   * {@code firstGap} later, the others {@code gap} after the previous one.
   */
  private static final class EditsClient implements KvClient {
    private final int edits;
    private final Duration firstGap;
    private final Duration gap;
    private final AtomicLong now;
    Watcher watcher;
    int reads;
    private int n;

    EditsClient(int edits, Duration firstGap, Duration gap, AtomicLong now) {
      this.edits = edits;
      this.firstGap = firstGap;
      this.gap = gap;
      this.now = now;
    }

    @Override
    public KvResponse get(String key, long index, Duration wait) throws KvException {
      reads++;
      if (index > 0) {
        if (n == edits) {
          watcher.stop();
          throw new KvException(KvException.Kind.ABORTED, "done");
        }
        now.addAndGet((n == 0 ? firstGap : gap).toNanos()); // parked until the next edit
        n++;
      }
      byte[] doc = ("n: " + n).getBytes(StandardCharsets.UTF_8);
      return KvResponse.found(List.of(new KvEntry(key, doc, n + 1)), n + 1, true);
    }

    @Override
    public KvResponse list(String prefix, long index, Duration wait) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void abort() {}

    @Override
    public void close() {}
  }
}
