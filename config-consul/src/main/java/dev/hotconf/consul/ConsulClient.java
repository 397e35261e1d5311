package dev.hotconf.consul;

import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Request;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.KeyValueConsulClient;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hotconf.consul.internal.ConsulApiKvClient;
import dev.hotconf.consul.internal.ConsulTransport;
import dev.hotconf.consul.internal.Durations;
import dev.hotconf.consul.internal.KvException;
import dev.hotconf.consul.internal.KvResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/*
 * Design: two transports on one ConsulConnection, so a blocking read (minutes) never holds up a
 * write or a session renewal: reads go through the same ConsulApiKvClient the source uses (index
 * rules, known-leader flag), with a socket timeout that outlasts Consul's longest wait; writes and
 * sessions through their own pool with the connection's short request timeout. Each side runs one
 * request at a time (a lock per side), which is all its users need: one loop reading, one thread
 * acknowledging or publishing.
 */

/**
 * A small Consul client for what hotconf writes: KV writes with check-and-set, {@code
 * ?acquire=}/{@code ?release=} locks, TTL sessions, and the reads that go with them (one key, a
 * blocking prefix read). The ACL token travels in the {@code X-Consul-Token} header only; messages
 * never contain it.
 *
 * <p>Thread-safe. Reads are serialized with each other and writes with each other; a blocking read
 * does not delay writes. {@link #close()} may be called from any thread and aborts requests in
 * flight. Null is rejected everywhere; absence is {@link Optional}.
 */
public final class ConsulClient implements AutoCloseable {

  /** The longest wait Consul grants a blocking query. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_./-]+");
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9-]+");

  /** One KV entry: its key, value (empty when Consul holds none) and ModifyIndex. */
  public record Entry(String key, byte[] value, long modifyIndex) {
    public Entry {
      Objects.requireNonNull(key, "key");
      value = value == null ? new byte[0] : value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    /** The value as UTF-8 text. */
    public String text() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  /**
   * A read: the entries found (empty when Consul answered 404) and Consul's {@code X-Consul-Index}
   * to block on next.
   */
  public record Listing(boolean found, List<Entry> entries, long index) {
    public Listing {
      entries = List.copyOf(entries);
    }
  }

  /** What happens to a session's keys when it is invalidated. */
  public enum SessionBehavior {
    /** The keys stay; only their holder is cleared. */
    RELEASE,
    /** The keys are deleted: ephemeral entries that vanish with their owner. */
    DELETE
  }

  /**
   * A session that lives only by its TTL (bound to no health check, so a gossip flap does not end
   * it).
   *
   * @param name a human-readable name shown by Consul
   * @param ttl 10 s to 24 h; Consul invalidates the session when it is not renewed within it (in
   *     practice within twice the TTL: the TTL is a lower bound)
   * @param behavior what invalidation does to its keys
   * @param lockDelay 0 to 60 s: how long its keys stay unacquirable after invalidation (Consul's
   *     default 15 s would lock a restarted instance out of its own key)
   */
  public record SessionSpec(
      String name, Duration ttl, SessionBehavior behavior, Duration lockDelay) {
    public SessionSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(behavior, "behavior");
      Objects.requireNonNull(lockDelay, "lockDelay");
      if (ttl.compareTo(Duration.ofSeconds(10)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException(
            "ttl: must be between 10s and 24h (Consul's limits) but was " + Durations.format(ttl));
      }
      if (ttl.getNano() != 0) {
        throw new IllegalArgumentException(
            "ttl: must be whole seconds but was " + Durations.format(ttl));
      }
      if (lockDelay.isNegative() || lockDelay.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException(
            "lockDelay: must be between 0s and 60s but was " + Durations.format(lockDelay));
      }
    }
  }

  private final ConsulConnection connection;
  private final ConsulApiKvClient reads;
  private final ConsulTransport writes;
  private final KeyValueConsulClient kv;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();

  private ConsulClient(ConsulConnection connection) {
    this.connection = connection;
    Duration readTimeout = MAX_WAIT.plus(MAX_WAIT.dividedBy(16)).plus(connection.requestTimeout());
    this.reads =
        new ConsulApiKvClient(
            new ConsulApiKvClient.Settings(
                connection.address(),
                ConsistencyMode.DEFAULT,
                null,
                connection.connectTimeout(),
                readTimeout,
                connection.sslContext(),
                connection.tokenProvider()));
    this.writes =
        new ConsulTransport(
            new ConsulApiKvClient.Settings(
                connection.address(),
                ConsistencyMode.DEFAULT,
                null,
                connection.connectTimeout(),
                connection.requestTimeout(),
                connection.sslContext(),
                connection.tokenProvider()));
    this.kv = new KeyValueConsulClient(writes.raw());
  }

  /**
   * A client for {@code connection}. No request is made yet.
   *
   * @throws IllegalArgumentException if the TLS files cannot be read any more
   */
  public static ConsulClient create(ConsulConnection connection) {
    Objects.requireNonNull(connection, "connection");
    return new ConsulClient(connection);
  }

  public ConsulConnection connection() {
    return connection;
  }

  // ------------------------------------------------------------------ reads

  /** Reads one key now (no blocking). */
  public Optional<Entry> get(String key) throws ConsulException {
    checkKey(key);
    Listing l = read(() -> reads.get(key, 0, Duration.ofSeconds(1)));
    return l.entries().isEmpty() ? Optional.empty() : Optional.of(l.entries().get(0));
  }

  /**
   * Reads one key as a blocking query: with {@code index > 0} Consul answers when the key's index
   * moves past it, or after {@code wait} (plus up to wait/16); with {@code index == 0} at once.
   */
  public Listing watchKey(String key, long index, Duration wait) throws ConsulException {
    checkKey(key);
    checkWait(wait);
    return read(() -> reads.get(key, index, wait));
  }

  /**
   * Reads every key under {@code prefix} ({@code ?recurse}) as a blocking query: see {@link
   * #watchKey}.
   */
  public Listing list(String prefix, long index, Duration wait) throws ConsulException {
    checkKey(prefix);
    checkWait(wait);
    return read(() -> reads.list(prefix, index, wait));
  }

  private interface Read {
    KvResponse run() throws KvException;
  }

  private Listing read(Read read) throws ConsulException {
    readLock.lock();
    try {
      KvResponse r = read.run();
      List<Entry> entries = new ArrayList<>(r.entries().size());
      r.entries().forEach(e -> entries.add(new Entry(e.key(), e.value(), e.modifyIndex())));
      return new Listing(r.found(), entries, r.index());
    } catch (KvException e) {
      throw convert(e);
    } finally {
      readLock.unlock();
    }
  }

  // ------------------------------------------------------------------ KV writes

  /** Writes {@code value} to {@code key} unconditionally. */
  public void put(String key, byte[] value) throws ConsulException {
    if (!write(key, value, new PutParams())) {
      throw new ConsulException(
          ConsulException.Kind.BAD_RESPONSE, 200, "Consul refused the write of " + key, null);
    }
  }

  /**
   * Check-and-set: writes only if the key's ModifyIndex is still {@code modifyIndex} ({@code 0}:
   * only if the key does not exist). Returns false when another write came first.
   */
  public boolean cas(String key, byte[] value, long modifyIndex) throws ConsulException {
    if (modifyIndex < 0) {
      throw new IllegalArgumentException("modifyIndex: must be >= 0 but was " + modifyIndex);
    }
    PutParams p = new PutParams();
    p.setCas(modifyIndex);
    return write(key, value, p);
  }

  /**
   * Writes {@code value} and takes the key for {@code session} ({@code ?acquire=}). Returns false
   * when another session holds the key or its lock delay still runs.
   */
  public boolean acquire(String key, byte[] value, String session) throws ConsulException {
    checkSession(session);
    PutParams p = new PutParams();
    p.setAcquireSession(session);
    return write(key, value, p);
  }

  /** Writes {@code value} and gives the key back ({@code ?release=}); false if not held by it. */
  public boolean release(String key, byte[] value, String session) throws ConsulException {
    checkSession(session);
    PutParams p = new PutParams();
    p.setReleaseSession(session);
    return write(key, value, p);
  }

  /** Deletes one key (nothing happens if it does not exist). */
  public void delete(String key) throws ConsulException {
    checkKey(key);
    writeCall(key, "key write", () -> kv.deleteKVValue(key));
  }

  private boolean write(String key, byte[] value, PutParams params) throws ConsulException {
    checkKey(key);
    Objects.requireNonNull(value, "value");
    Response<Boolean> r =
        writeCall(
            key,
            "key write",
            () -> kv.setKVBinaryValue(key, value.clone(), null, params, QueryParams.DEFAULT));
    return Boolean.TRUE.equals(r.getValue());
  }

  // ------------------------------------------------------------------ sessions

  /** Creates a TTL-only session; returns its ID. */
  public String createSession(SessionSpec spec) throws ConsulException {
    Objects.requireNonNull(spec, "spec");
    JsonObject body = new JsonObject();
    body.addProperty("Name", spec.name());
    body.addProperty("TTL", spec.ttl().toSeconds() + "s");
    body.addProperty("Behavior", spec.behavior() == SessionBehavior.DELETE ? "delete" : "release");
    body.addProperty("LockDelay", spec.lockDelay().toMillis() + "ms");
    // no checks: without these Consul binds the session to serfHealth (a gossip flap would end it)
    body.add("NodeChecks", new JsonArray());
    body.add("Checks", new JsonArray());
    HttpResponse r =
        writeCall(
            "session " + spec.name(),
            "session write",
            () ->
                writes
                    .raw()
                    .makePutRequest(
                        Request.Builder.newBuilder()
                            .setEndpoint("/v1/session/create")
                            .setBinaryContent(body.toString().getBytes(StandardCharsets.UTF_8))
                            .build()));
    requireOk(r, "session create");
    try {
      JsonElement id = JsonParser.parseString(r.getContent()).getAsJsonObject().get("ID");
      if (id == null || !id.isJsonPrimitive() || !SESSION_ID.matcher(id.getAsString()).matches()) {
        throw new JsonParseException("no ID");
      }
      return id.getAsString();
    } catch (RuntimeException e) {
      throw new ConsulException(
          ConsulException.Kind.BAD_RESPONSE,
          200,
          "Consul's answer to a session create has no session ID; is "
              + writes.displayAddress()
              + " a Consul agent?",
          null);
    }
  }

  /**
   * Renews a session's TTL. Returns false when Consul no longer knows the session (it expired or
   * was destroyed): create a new one.
   */
  public boolean renewSession(String id) throws ConsulException {
    checkSession(id);
    HttpResponse r =
        writeCall(
            "session " + id,
            "session write",
            () ->
                writes
                    .raw()
                    .makePutRequest(
                        Request.Builder.newBuilder()
                            .setEndpoint("/v1/session/renew/" + id)
                            .setBinaryContent(new byte[0])
                            .build()));
    if (r.getStatusCode() == 404) {
      return false;
    }
    requireOk(r, "session renew");
    return true;
  }

  /** Destroys a session (its keys are released or deleted per its behaviour). Idempotent. */
  public void destroySession(String id) throws ConsulException {
    checkSession(id);
    HttpResponse r =
        writeCall(
            "session " + id,
            "session write",
            () ->
                writes
                    .raw()
                    .makePutRequest(
                        Request.Builder.newBuilder()
                            .setEndpoint("/v1/session/destroy/" + id)
                            .setBinaryContent(new byte[0])
                            .build()));
    requireOk(r, "session destroy");
  }

  /** Whether Consul knows session {@code id} now. */
  public boolean sessionExists(String id) throws ConsulException {
    checkSession(id);
    HttpResponse r =
        writeCall(
            "session " + id,
            "session read",
            () -> writes.raw().makeGetRequest("/v1/session/info/" + id));
    requireOk(r, "session info");
    try {
      JsonElement parsed = JsonParser.parseString(r.getContent());
      return parsed.isJsonArray() && !parsed.getAsJsonArray().isEmpty();
    } catch (RuntimeException e) {
      throw new ConsulException(
          ConsulException.Kind.BAD_RESPONSE,
          200,
          "Consul's answer to a session info is not a JSON list",
          null);
    }
  }

  private void requireOk(HttpResponse r, String what) throws ConsulException {
    if (r.getStatusCode() != 200) {
      throw convert(writes.statusFailure(r.getStatusCode(), r.getContent(), what, "session write"));
    }
  }

  private <T> T writeCall(String what, String permission, ConsulTransport.Call<T> call)
      throws ConsulException {
    writeLock.lock();
    try {
      return writes.call(what, permission, call);
    } catch (KvException e) {
      throw convert(e);
    } finally {
      writeLock.unlock();
    }
  }

  // ------------------------------------------------------------------ misc

  private static ConsulException convert(KvException e) {
    return new ConsulException(
        ConsulException.Kind.valueOf(e.kind().name()), e.status(), e.getMessage(), e.getCause());
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.startsWith("/") || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key: may only contain letters, digits and _ . / - (not starting with /) but was '"
              + key
              + "'");
    }
  }

  private static void checkSession(String id) {
    Objects.requireNonNull(id, "session");
    if (!SESSION_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("session: not a Consul session ID: '" + id + "'");
    }
  }

  private static void checkWait(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "wait: must be between 1s and 10m but was " + Durations.format(wait));
    }
  }

  /** Aborts requests in flight and releases every connection. Idempotent. */
  @Override
  public void close() {
    reads.close();
    writes.close();
  }

  @Override
  public String toString() {
    return "ConsulClient[" + connection + "]";
  }
}
