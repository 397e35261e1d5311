package dev.hotconf.consul;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.consul.internal.KvClient;
import dev.hotconf.consul.internal.KvEntry;
import dev.hotconf.consul.internal.KvException;
import dev.hotconf.consul.internal.KvResponse;
import dev.hotconf.consul.internal.RetryBackoff;
import dev.hotconf.consul.internal.TokenBucket;
import dev.hotconf.source.SourceListener;
import dev.hotconf.source.Trees;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking-query loop of one {@link ConsulSource}, run by its worker thread. Only that thread
 * touches the mutable state; {@link #stop()} may be called from any thread.
 *
 * <p>Each pass: take a token of the rate limiter, read (a blocking query on the last index, or a
 * plain read after a failure), retried with {@link RetryBackoff} until an answer comes, then handle
 * the answer (compare, parse under the {@link dev.hotconf.parse.ParseLimits}, deliver). Only {@link
 * #stop()} ends the loop: anything thrown while reading or handling one answer, {@link Error}s
 * included (a {@link StackOverflowError} from a hostile answer, an {@link OutOfMemoryError}), is
 * reported with {@code onFailure}, the last good content stays, and the loop backs off and reads
 * again.
 */
final class Watcher {
  private static final Logger LOG = LoggerFactory.getLogger(ConsulSource.class);
  private static final int MAX_KEY_SHOWN = 200;

  /** What the listener last heard, to publish only changes and to always announce a recovery. */
  private enum Reported {
    NOTHING,
    CONTENT,
    INVALID,
    MISSING,
    FAILING
  }

  private final ConsulSourceConfig config;
  private final KvClient client;
  private final TokenBucket bucket;
  private final Retry retry;
  private final RetryBackoff backoff;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ConfigOrigin sourceOrigin;

  private SourceListener listener;
  private long index;
  private boolean freshReadNeeded;
  private Reported reported = Reported.NOTHING;
  private byte[] lastFingerprint;

  Watcher(ConsulSourceConfig config, KvClient client) {
    this(config, client, System::nanoTime);
  }

  /** {@code nanoTime} is the rate limiter's clock (tests pass their own). */
  Watcher(ConsulSourceConfig config, KvClient client, LongSupplier nanoTime) {
    this.config = config;
    this.client = client;
    this.bucket = new TokenBucket(config.rateLimitBurst(), config.rateLimitRefill(), nanoTime);
    this.sourceOrigin = ConfigOrigin.of(config.name(), "consul:" + config.path());
    this.backoff = new RetryBackoff(config.initialBackoff(), config.maxBackoff());
    RetryConfig retryConfig =
        RetryConfig.<KvResponse>custom()
            .maxAttempts(Integer.MAX_VALUE)
            .intervalFunction(backoff)
            .retryOnException(
                e ->
                    e instanceof KvException k
                        && k.kind() != KvException.Kind.ABORTED
                        && !isStopped())
            .failAfterMaxAttempts(false)
            .build();
    this.retry = Retry.of(config.name(), retryConfig);
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                LOG.debug(
                    "hotconf {}: retry {} in {} ms",
                    config.name(),
                    event.getNumberOfRetryAttempts(),
                    event.getWaitInterval().toMillis()));
  }

  void stop() {
    stopped.countDown();
  }

  private boolean isStopped() {
    return stopped.getCount() == 0;
  }

  void run(SourceListener l) {
    this.listener = l;
    LOG.debug("hotconf {}: watching {}", config.name(), config);
    boolean first = true;
    int unexpected = 0; // consecutive passes that threw: the backoff's attempt number
    while (!isStopped()) {
      // the source's very first read is free, so that the full burst is left for the first changes
      if (!first && !takeToken()) {
        break;
      }
      first = false;
      try {
        KvResponse response = read();
        if (isStopped()) {
          break;
        }
        if (response != null) {
          handle(response);
        }
        unexpected = 0;
      } catch (Throwable t) { // NOPMD: one answer must never end the loop, whatever it throws
        if (isStopped()) {
          break;
        }
        unexpected++;
        if (!survive(t, unexpected)) {
          break;
        }
      }
    }
    LOG.debug("hotconf {}: stopped watching", config.name());
  }

  /**
   * One read, retried until an answer comes; null when it ended without one and without a stop (a
   * stray abort): the caller goes on.
   */
  private KvResponse read() throws Exception {
    try {
      return retry.executeCallable(this::readOnce);
    } catch (KvException e) {
      if (isStopped() || Thread.currentThread().isInterrupted()) {
        return null;
      }
      // not retryable and not a stop: only ABORTED without a stop, i.e. a stray abort(); go on
      LOG.debug("hotconf {}: read ended without retry: {}", config.name(), e.toString());
      freshReadNeeded = true;
      return null;
    }
  }

  /**
   * Reports a throwable that escaped reading or handling one answer, then backs off ({@code
   * attempt} is the number of such passes in a row). The next read is a plain (non-blocking) one of
   * the same answer, delivered even when unchanged. Returns false when stopped meanwhile.
   */
  private boolean survive(Throwable t, int attempt) {
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return false;
    }
    freshReadNeeded = true;
    reported = Reported.FAILING;
    long waitMillis = backoff.apply(attempt);
    try {
      // the class only: a message could quote the answer (values, keys)
      LOG.error(
          "hotconf {}: reading or handling Consul's answer failed with {}; keeping the last good"
              + " content, reading again in {} ms",
          config.name(),
          t.getClass().getName(),
          waitMillis);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "hotconf {}: where it failed (message removed)", config.name(), withoutMessage(t));
      }
      safeFailure(
          new ConfigException(
              Problem.at(
                  sourceOrigin,
                  "reading or handling Consul's answer failed with "
                      + t.getClass().getName()
                      + "; keeping the last good content, retrying with backoff")));
    } catch (Throwable reportFailed) { // NOPMD: even a failed report must not end the loop
      // nothing more can be done about it than to go on
    }
    try {
      return !stopped.await(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The same class and stack trace, without the message (which could quote the answer). */
  private static Throwable withoutMessage(Throwable t) {
    Throwable copy = new StackOnly(t.getClass().getName());
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** A stack trace under the name of the class that was thrown. */
  private static final class StackOnly extends Throwable {
    private static final long serialVersionUID = 1L;

    StackOnly(String thrownClass) {
      super(thrownClass, null, false, true);
    }
  }

  /** Waits for a token of the rate limiter; false when stopped meanwhile. */
  private boolean takeToken() {
    while (!isStopped()) {
      long waitNanos = bucket.tryAcquire();
      if (waitNanos == 0) {
        return true;
      }
      LOG.debug(
          "hotconf {}: rate limited, next read in {} ms",
          config.name(),
          TimeUnit.NANOSECONDS.toMillis(waitNanos));
      try {
        if (stopped.await(waitNanos, TimeUnit.NANOSECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** One attempt; failures are reported at once (and then retried by the caller). */
  private KvResponse readOnce() throws KvException {
    // after a failure, read without blocking so that a recovery is seen (and announced) at once
    long useIndex = freshReadNeeded ? 0 : index;
    try {
      KvResponse r =
          config.shape() == ConsulSourceConfig.Shape.KEY
              ? client.get(config.path(), useIndex, config.waitTime())
              : client.list(config.path(), useIndex, config.waitTime());
      if (!r.knownLeader() && config.consistency() != ConsistencyMode.STALE) {
        throw new KvException(
            KvException.Kind.NO_KNOWN_LEADER,
            "Consul answered with X-Consul-KnownLeader: "
                + "false: the cluster has no known leader and the data may be stale");
      }
      return r;
    } catch (KvException e) {
      if (e.kind() != KvException.Kind.ABORTED && !isStopped()) {
        freshReadNeeded = true;
        reported = Reported.FAILING;
        safeFailure(
            new ConfigException(
                Problem.at(
                    sourceOrigin,
                    e.getMessage() + "; keeping the last good content, retrying with backoff")));
      }
      throw e;
    } catch (RuntimeException e) {
      // a bug in a client: report it like a failure (retried), without its message
      KvException k =
          new KvException(
              KvException.Kind.BAD_RESPONSE,
              0,
              "unexpected error reading Consul: " + e.getClass().getName(),
              e);
      freshReadNeeded = true;
      reported = Reported.FAILING;
      safeFailure(
          new ConfigException(
              Problem.at(sourceOrigin, k.getMessage() + "; retrying with backoff")));
      throw k;
    }
  }

  private void handle(KvResponse r) {
    freshReadNeeded = false;
    if (r.found()) {
      if (config.shape() == ConsulSourceConfig.Shape.KEY) {
        handleKey(r);
      } else {
        handlePrefix(r);
      }
    } else {
      handleMissing();
    }
    long previous = index;
    index = nextIndex(previous, r.index());
    if (index == 0) {
      LOG.debug(
          "hotconf {}: Consul's index went backwards ({} -> {}): restarting the loop",
          config.name(),
          previous,
          r.index());
    }
  }

  /**
   * Consul's rules: restart (0, which does not block) when the index goes backwards; otherwise
   * never below 1, since blocking on 0 returns at once.
   */
  static long nextIndex(long previous, long returned) {
    if (Long.compareUnsigned(returned, previous) < 0) {
      return 0;
    }
    return returned == 0 ? 1 : returned;
  }

  private void handleKey(KvResponse r) {
    KvEntry entry = r.entries().get(0);
    byte[] bytes = entry.value() == null ? new byte[0] : entry.value();
    byte[] fingerprint = fingerprint(List.of(entry.key()), List.of(bytes));
    if (unchanged(fingerprint)) {
      return;
    }
    ConfigOrigin origin =
        ConfigOrigin.of(config.name(), "consul:" + entry.key() + "@" + entry.modifyIndex());
    ConfigObject content;
    try {
      content =
          config
              .format()
              .orElseThrow()
              .parse(bytes, origin, config.parseLimits(), listener.redactor());
    } catch (ConfigException e) {
      invalid(e, fingerprint);
      return;
    }
    deliver(content, fingerprint);
  }

  private void handlePrefix(KvResponse r) {
    String prefix = config.path();
    TreeMap<String, KvEntry> byKey = new TreeMap<>();
    for (KvEntry e : r.entries()) {
      if (e.key().startsWith(prefix)
          && e.key().length() > prefix.length()
          && !e.key().endsWith("/")) {
        byKey.put(e.key(), e);
      }
    }
    List<String> keys = new ArrayList<>(byKey.keySet());
    List<byte[]> values = new ArrayList<>();
    for (KvEntry e : byKey.values()) {
      values.add(e.value());
    }
    byte[] fingerprint = fingerprint(keys, values);
    if (unchanged(fingerprint)) {
      return;
    }
    Map<String, String> flat = new LinkedHashMap<>();
    Map<String, ConfigOrigin> origins = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (KvEntry e : byKey.values()) {
      String dotted = e.key().substring(prefix.length()).replace('/', '.');
      ConfigOrigin origin =
          ConfigOrigin.of(config.name(), "consul:" + shorten(e.key()) + "@" + e.modifyIndex());
      try {
        flat.put(
            dotted,
            e.value() == null
                ? ""
                : StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(e.value()))
                    .toString());
        origins.put(dotted, origin);
      } catch (CharacterCodingException ex) {
        problems.add(Problem.at(shorten(dotted), origin, "the value is not valid UTF-8"));
      }
    }
    ConfigObject content;
    try {
      if (!problems.isEmpty()) {
        throw new ConfigParseException(problems);
      }
      content = Trees.fromStrings(flat, origins, sourceOrigin, config.parseLimits());
    } catch (ConfigException e) {
      invalid(e, fingerprint);
      return;
    }
    deliver(content, fingerprint);
  }

  /** A key as shown in origins and messages: long ones (a hostile tree) are cut. */
  static String shorten(String key) {
    return key.length() <= MAX_KEY_SHOWN
        ? key
        : key.substring(0, MAX_KEY_SHOWN) + "... (" + key.length() + " characters)";
  }

  private void handleMissing() {
    if (config.missingPolicy() == MissingPolicy.EMPTY) {
      byte[] fingerprint = fingerprint(List.of(), List.of());
      if (!unchanged(fingerprint)) {
        deliver(ConfigObject.empty(sourceOrigin), fingerprint);
      }
      return;
    }
    if (reported == Reported.MISSING) {
      return;
    }
    reported = Reported.MISSING;
    lastFingerprint = null;
    String reason =
        config.shape() == ConsulSourceConfig.Shape.KEY
            ? "key " + config.path() + " does not exist in Consul"
            : "no keys under prefix " + config.path() + " in Consul";
    try {
      listener.onMissing(reason);
    } catch (RuntimeException e) {
      LOG.warn("hotconf {}: listener failed on onMissing: {}", config.name(), e.getClass());
    }
  }

  private boolean unchanged(byte[] fingerprint) {
    return (reported == Reported.CONTENT || reported == Reported.INVALID)
        && Arrays.equals(fingerprint, lastFingerprint);
  }

  private void deliver(ConfigObject content, byte[] fingerprint) {
    reported = Reported.CONTENT;
    lastFingerprint = fingerprint;
    try {
      listener.onContent(content);
    } catch (RuntimeException e) {
      LOG.warn("hotconf {}: listener failed on onContent: {}", config.name(), e.getClass());
    }
  }

  private void invalid(ConfigException e, byte[] fingerprint) {
    reported = Reported.INVALID;
    lastFingerprint = fingerprint;
    safeFailure(e);
  }

  private void safeFailure(ConfigException e) {
    try {
      listener.onFailure(e);
    } catch (RuntimeException ex) {
      LOG.warn("hotconf {}: listener failed on onFailure: {}", config.name(), ex.getClass());
    }
  }

  /** SHA-256 over the keys and values, each length-prefixed; null values differ from empty ones. */
  static byte[] fingerprint(List<String> keys, List<byte[]> values) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < keys.size(); i++) {
      byte[] k = keys.get(i).getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(k.length).array());
      sha.update(k);
      byte[] v = values.get(i);
      sha.update(ByteBuffer.allocate(4).putInt(v == null ? -1 : v.length).array());
      if (v != null) {
        sha.update(v);
      }
    }
    return sha.digest();
  }
}
