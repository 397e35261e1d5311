package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigStatus;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.SourceStatus;
import dev.hotconf.consul.internal.KvClient;
import dev.hotconf.consul.internal.KvEntry;
import dev.hotconf.consul.internal.KvException;
import dev.hotconf.consul.internal.KvResponse;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding 3 of issue 14: what Consul delivers is bounded like a parsed document ({@link
 * ParseLimits}: keys, bytes, depth), a tree over the limits is an ordinary rejection that leaves
 * status and snapshot in agreement, and nothing thrown while handling one answer ends the loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulSourceLimitsTest {
  private static final String PREFIX = "config/app/";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static String deepKey(int levels) {
    StringBuilder key = new StringBuilder(PREFIX);
    for (int i = 1; i < levels; i++) {
      key.append("a/");
    }
    return key.append("leaf").toString();
  }

  private HotConfig hotConfig(ConsulSourceConfig config) {
    HotConfig hot = HotConfig.builder().source(ConsulSource.create(config)).build();
    closeables.add(hot);
    return hot;
  }

  /**
   * A key 1,100 levels deep is rejected with a clear reason; the live version stays, and the status
   * says the same version as the snapshot (before, the tree was accepted and the sidecar's status
   * and HTTP disagreed about the live version).
   */
  @Test
  void aPrefixTreeDeeperThanTheLimitIsRejectedAndStatusAndSnapshotAgree() {
    ConsulTestServer server = consul.server();
    server.put(PREFIX + "port", "8080");
    HotConfig hot = hotConfig(TestConfigs.prefix(server, PREFIX).build());
    IntSetting port = hot.intSetting("port", 0);
    assertThat(port.getAsInt()).isEqualTo(8080);
    long live = hot.snapshot().version();

    server.put(deepKey(1100), "x");
    server.put(PREFIX + "port", "8081");

    await().atMost(Duration.ofSeconds(10)).until(() -> state(hot) == SourceStatus.State.FAILING);
    ConfigStatus status = hot.status();
    assertThat(status.sources().get(0).lastError())
        .contains("a.a.a.a")
        .contains("1100 levels deep, over the limit of 64 (maxNestingDepth)")
        .hasSizeLessThan(1000);
    assertThat(status.version()).isEqualTo(live).isEqualTo(hot.snapshot().version());
    assertThat(port.getAsInt()).as("the last good content stays").isEqualTo(8080);

    server.delete(deepKey(1100));
    await().atMost(Duration.ofSeconds(10)).until(() -> port.getAsInt() == 8081);
    assertThat(hot.status().version()).isEqualTo(hot.snapshot().version()).isEqualTo(live + 1);
    assertThat(state(hot)).isEqualTo(SourceStatus.State.OK);
  }

  /**
   * 60,000 levels threw {@link StackOverflowError} out of the watch loop, which ended for good; now
   * it is the same ordinary rejection, and the next change goes live.
   */
  @Test
  void sixtyThousandLevelsAreRejectedAndTheLoopGoesOn() {
    ConsulTestServer server = consul.server();
    server.put(PREFIX + "port", "8080");
    RecordingListener listener = new RecordingListener();
    ConsulSource source = ConsulSource.create(TestConfigs.prefix(server, PREFIX).build());
    closeables.add(source);
    source.start(listener);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);

    server.put(deepKey(60_000), "x");
    await().atMost(Duration.ofSeconds(20)).until(() -> listener.failures().size() == 1);
    ConfigException rejection = ((RecordingListener.Failure) listener.last()).error();
    assertThat(rejection).isInstanceOf(ConfigParseException.class);
    assertThat(rejection.getMessage())
        .contains("60000 levels deep, over the limit of 64 (maxNestingDepth)")
        .hasSizeLessThan(1000);

    server.delete(deepKey(60_000));
    server.put(PREFIX + "port", "8081");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Map.of("port", 8081L).equals(listener.lastContent()));
  }

  @Test
  void aPrefixWithMoreKeysOrBytesThanTheLimitsIsRejected() {
    ConsulTestServer server = consul.server();
    for (int i = 0; i < 5; i++) {
      server.put(PREFIX + "k" + i, "v");
    }
    RecordingListener listener = new RecordingListener();
    ConsulSource source =
        ConsulSource.create(
            TestConfigs.prefix(server, PREFIX)
                .parseLimits(ParseLimits.builder().maxValues(5).maxDocumentBytes(64).build())
                .build());
    closeables.add(source);
    source.start(listener);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);

    server.put(PREFIX + "k5", "v");
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures().size() == 1);
    assertThat(listener.failures().get(0))
        .isEqualTo("consul:" + PREFIX + ": 6 keys, over the limit of 5 values (maxValues)");

    server.delete(PREFIX + "k5");
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 2);
    server.put(PREFIX + "k4", "s3cret-" + "x".repeat(60)); // 5 keys of 2 bytes, 4 values of 1
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures().size() == 2);
    assertThat(listener.failures().get(1))
        .isEqualTo(
            "consul:"
                + PREFIX
                + ": keys and values are 81 bytes, over the limit of 64 bytes (maxDocumentBytes)");
  }

  @Test
  void aKeysDocumentIsParsedUnderTheConfiguredLimits() {
    ConsulTestServer server = consul.server();
    server.put("config/app.yaml", "a: {b: {c: 1}}");
    RecordingListener listener = new RecordingListener();
    ConsulSource source =
        ConsulSource.create(
            TestConfigs.key(server, "config/app.yaml")
                .parseLimits(ParseLimits.builder().maxNestingDepth(2).build())
                .build());
    closeables.add(source);
    source.start(listener);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures().size() == 1);
    assertThat(listener.failures().get(0)).contains("(maxNestingDepth)");
  }

  /**
   * Anything thrown while reading or handling an answer, errors included, is reported, backed off
   * and read again: the loop only ends when the source is closed.
   */
  @Test
  void anyThrowableFromOneAnswerIsReportedAndTheLoopContinues() {
    ConsulSourceConfig config =
        ConsulSourceConfig.prefix(PREFIX)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .rateLimit(100, Duration.ofMillis(1))
            .build();
    KvResponse good =
        KvResponse.found(
            List.of(new KvEntry(PREFIX + "port", "8080".getBytes(StandardCharsets.UTF_8), 7)),
            7,
            true);
    ScriptedClient client =
        new ScriptedClient(
            () -> {
              throw new StackOverflowError();
            },
            () -> {
              throw new OutOfMemoryError("Java heap space");
            },
            () -> {
              throw new IllegalStateException("a bug quoting a value: s3cret");
            },
            () -> good);
    Watcher watcher = new Watcher(config, client);
    client.watcher = watcher;
    ThrowingOnceListener listener = new ThrowingOnceListener();
    Thread loop = new Thread(() -> watcher.run(listener));
    loop.start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Map.of("port", 8080L).equals(listener.recorded.lastContent()));
    } finally {
      watcher.stop();
      client.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !loop.isAlive());

    List<String> failures = listener.recorded.failures();
    assertThat(failures.get(0))
        .isEqualTo(
            "consul:config/app/: reading or handling Consul's answer failed with"
                + " java.lang.StackOverflowError;"
                + " keeping the last good content, retrying with backoff");
    assertThat(failures.get(1)).contains("java.lang.OutOfMemoryError");
    // a client's RuntimeException is a failed read (as before), reported without its message
    assertThat(failures.get(2))
        .contains("java.lang.IllegalStateException")
        .doesNotContain("s3cret");
    // the listener threw an Error on the first delivery: reported, and delivered again
    assertThat(failures.get(3)).contains("java.lang.AssertionError");
    assertThat(listener.recorded.contents()).hasSize(1);
  }

  private static SourceStatus.State state(HotConfig hot) {
    return hot.status().sources().get(0).state();
  }

  /** A listener whose first onContent throws an Error, like a broken downstream. */
  private static final class ThrowingOnceListener implements dev.hotconf.source.SourceListener {
    final RecordingListener recorded = new RecordingListener();
    private boolean thrown;

    @Override
    public void onContent(dev.hotconf.ConfigObject content) {
      if (!thrown) {
        thrown = true;
        throw new AssertionError("a downstream failure");
      }
      recorded.onContent(content);
    }

    @Override
    public void onMissing(String reason) {
      recorded.onMissing(reason);
    }

    @Override
    public void onFailure(ConfigException error) {
      recorded.onFailure(error);
    }
  }

  /** Answers each read from a script; once the script runs out, repeats the last step. */
  private static final class ScriptedClient implements KvClient {
    private final Deque<Supplier<KvResponse>> script;
    private Supplier<KvResponse> last;
    volatile Watcher watcher;
    private volatile boolean closed;

    @SafeVarargs
    ScriptedClient(Supplier<KvResponse>... steps) {
      this.script = new ArrayDeque<>(List.of(steps));
    }

    private KvResponse next() throws KvException {
      if (closed) {
        throw new KvException(KvException.Kind.ABORTED, "closed");
      }
      if (!script.isEmpty()) {
        last = script.poll();
      }
      return last.get();
    }

    @Override
    public KvResponse get(String key, long index, Duration wait) throws KvException {
      return next();
    }

    @Override
    public KvResponse list(String prefix, long index, Duration wait) throws KvException {
      return next();
    }

    @Override
    public void abort() {}

    @Override
    public void close() {
      closed = true;
    }
  }
}
