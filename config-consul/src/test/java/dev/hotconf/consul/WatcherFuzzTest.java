package dev.hotconf.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.consul.internal.KvClient;
import dev.hotconf.consul.internal.KvEntry;
import dev.hotconf.consul.internal.KvException;
import dev.hotconf.consul.internal.KvResponse;
import dev.hotconf.parse.ConfigFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the handling of Consul KV answers in {@link Watcher} (in this package to reach the
 * package-private watcher): a fake {@link KvClient} answers one fuzzed read (a single key's
 * document, or a prefix listing of arbitrary keys and byte values), then stops the loop. Contract:
 * the listener hears exactly one event: content, "missing", or a failure that is a {@link
 * ConfigParseException} — never the "reading or handling Consul's answer failed" that the loop
 * reports when handling throws.
 */
class WatcherFuzzTest {
  static final String KEY = "config/app/data";
  static final String PREFIX = "config/app/";
  static final ConfigFormat[] FORMATS = ConfigFormat.values();

  @FuzzTest(maxDuration = "10m")
  void handle(FuzzedDataProvider data) {
    boolean keyShape = data.consumeBoolean();
    ConfigSourceShape shape = keyShape ? ConfigSourceShape.KEY : ConfigSourceShape.PREFIX;
    ConfigFormat format = FORMATS[data.consumeInt(0, FORMATS.length - 1)];
    boolean found = data.consumeInt(0, 7) != 0;
    long index = data.consumeLong();
    List<KvEntry> entries = new ArrayList<>();
    if (found) {
      if (shape == ConfigSourceShape.KEY) {
        byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();
        entries.add(new KvEntry(KEY, value, data.consumeLong()));
      } else {
        int n = data.consumeInt(1, 12);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
          String key =
              data.consumeBoolean() ? PREFIX + data.consumeString(40) : data.consumeString(40);
          byte[] value = data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 200));
          entries.add(new KvEntry(key, value, data.consumeLong()));
        }
      }
    }
    KvResponse response =
        found ? KvResponse.found(entries, index, true) : KvResponse.notFound(index, true);

    ConsulSourceConfig.Builder b =
        shape == ConfigSourceShape.KEY
            ? ConsulSourceConfig.key(KEY).format(format)
            : ConsulSourceConfig.prefix(PREFIX);
    ConsulSourceConfig config =
        b.name("fuzz")
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .onMissing(data.consumeBoolean() ? MissingPolicy.EMPTY : MissingPolicy.KEEP_LAST_GOOD)
            .build();
    OneShotClient client = new OneShotClient(response);
    Watcher watcher = new Watcher(config, client);
    client.watcher = watcher;
    RecordingListener listener = new RecordingListener();
    watcher.run(listener);

    List<RecordingListener.Event> events = listener.events();
    assertEquals(
        1, events.size(), () -> "expected one event for " + response + " but got " + events);
    if (events.get(0) instanceof RecordingListener.Failure f) {
      assertTrue(
          f.error() instanceof ConfigParseException,
          () -> "handling a Consul answer failed with " + f.error());
      for (Problem p : f.error().problems()) {
        assertNotNull(p.message());
        // the loop's own report for an exception escaping the handling; a parse message may quote
        // a key or a line holding that text, so only the report's start identifies it
        assertFalse(p.message().startsWith("reading or handling Consul's answer failed"));
      }
    }
  }

  enum ConfigSourceShape {
    KEY,
    PREFIX
  }

  /** Answers one read, then stops the watcher and aborts the next. */
  static final class OneShotClient implements KvClient {
    private KvResponse next;
    Watcher watcher;

    OneShotClient(KvResponse response) {
      this.next = response;
    }

    private KvResponse read() throws KvException {
      KvResponse r = next;
      next = null;
      if (r == null) {
        watcher.stop();
        throw new KvException(KvException.Kind.ABORTED, "stopped");
      }
      return r;
    }

    @Override
    public KvResponse get(String key, long index, Duration wait) throws KvException {
      return read();
    }

    @Override
    public KvResponse list(String prefix, long index, Duration wait) throws KvException {
      return read();
    }

    @Override
    public void abort() {}

    @Override
    public void close() {}
  }
}
