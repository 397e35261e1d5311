package dev.hotconf.testing.consul;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/*
 * Design: Consul's session table (agent/consul/state/session.go), its TTL timers
 * (agent/consul/session_ttl.go) and the KV lock rules (kvsLockTxn, kvsPreApply's lock-delay check),
 * on top of KvStore. Everything runs under KvStore's lock, so invalidating a session and
 * releasing or deleting its keys is one transaction at one raft index, and blocked KV readers wake
 * exactly as for any other write. Time (TTL deadlines, lock delays) comes from a Clock: the system
 * clock with a reaper thread that invalidates sessions when their deadline passes, or a test's
 * clock with no thread at all, where ConsulTestServer.expireSessions() applies the deadlines.
 */
final class SessionStore {

  /** A request Consul refuses; {@code status} and {@code message} are what it answers. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Consul's {@code session_ttl_min} default. */
  static final Duration TTL_MIN = Duration.ofSeconds(10);

  /** Consul's {@code structs.SessionTTLMax}. */
  static final Duration TTL_MAX = Duration.ofHours(24);

  /** Consul's {@code structs.SessionTTLMultiplier}: a session expires after twice its TTL. */
  static final int TTL_MULTIPLIER = 2;

  /** Consul's {@code structs.MaxLockDelay}: longer lock delays are cut to this. */
  static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);

  /** The lock delay of a session created without {@code LockDelay}. */
  static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);

  /** Consul's {@code lockDelayMinThreshold}: numbers below it are seconds, not nanoseconds. */
  private static final long LOCK_DELAY_MIN_THRESHOLD = 1000;

  static final String SERF_HEALTH = "serfHealth";

  private static final List<String> FIELDS =
      List.of(
          "ID",
          "Name",
          "Node",
          "LockDelay",
          "Behavior",
          "TTL",
          "NodeChecks",
          "Checks",
          "ServiceChecks");

  private static final class Live {
    ConsulSession session;

    /** When the TTL timer fires (TTL x 2 after creation or the last renewal); null: no TTL. */
    Instant deadline;

    Live(ConsulSession session, Instant deadline) {
      this.session = session;
      this.deadline = deadline;
    }
  }

  private final KvStore kv;
  private final ReentrantLock lock;
  private final Clock clock;
  private final boolean realTime;
  private final TreeMap<String, Live> sessions = new TreeMap<>();
  private final Map<String, Instant> lockDelays = new HashMap<>();
  private long tableIndex = 1;
  private Thread reaper;
  private boolean closed;

  /**
   * @param realTime whether a reaper thread applies TTLs on {@code clock} (the system clock); with
   *     a test's clock, deadlines apply only through {@link #expireDue()}
   */
  SessionStore(KvStore kv, Clock clock, boolean realTime) {
    this.kv = kv;
    this.lock = kv.lock();
    this.clock = clock;
    this.realTime = realTime;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts the TTL reaper thread (real-time mode only). */
  void start(String threadName) {
    if (!realTime) {
      return;
    }
    Thread t = new Thread(this::reap, threadName);
    t.setDaemon(true);
    lock.lock();
    try {
      if (closed || reaper != null) {
        return;
      }
      reaper = t;
    } finally {
      lock.unlock();
    }
    t.start();
  }

  /** Stops the reaper; sessions stay as they are. */
  void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      t = reaper;
      kv.changedCondition().signalAll();
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void reap() {
    lock.lock();
    try {
      while (!closed) {
        expireDueLocked();
        Instant next = null;
        for (Live l : sessions.values()) {
          if (l.deadline != null && (next == null || l.deadline.isBefore(next))) {
            next = l.deadline;
          }
        }
        long waitNanos =
            next == null
                ? TimeUnit.SECONDS.toNanos(60)
                : Math.max(1, Duration.between(clock.instant(), next).toNanos());
        kv.changedCondition().awaitNanos(waitNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ the endpoints

  /** {@code PUT /v1/session/create} with its JSON body (possibly empty): the new session. */
  ConsulSession create(byte[] body) throws Refused {
    String name = "";
    String node = ConsulTestServer.NODE_NAME;
    Duration lockDelay = DEFAULT_LOCK_DELAY;
    String behaviorText = "release";
    String ttlText = "";
    List<String> nodeChecks = List.of(SERF_HEALTH);
    List<String> checks = List.of(SERF_HEALTH);
    List<String> serviceChecks = List.of();
    boolean nodeChecksGiven = false;
    if (body.length > 0) {
      Object parsed;
      try {
        parsed = JsonBody.parse(body);
      } catch (JsonBody.MalformedException e) {
        throw new Refused(400, "Request decode failed: " + e.getMessage());
      }
      if (!(parsed instanceof Map<?, ?> fields)) {
        throw new Refused(
            400,
            "Request decode failed: json: cannot unmarshal "
                + goType(parsed)
                + " into Go value of type structs.Session");
      }
      for (Map.Entry<?, ?> e : fields.entrySet()) {
        String field = canonical((String) e.getKey());
        Object v = e.getValue();
        switch (field) {
          case "ID" -> text(field, v); // Consul generates the ID whatever is sent
          case "Name" -> name = text(field, v);
          case "Node" -> node = text(field, v);
          case "LockDelay" -> lockDelay = lockDelay(v);
          case "Behavior" -> behaviorText = text(field, v);
          case "TTL" -> ttlText = text(field, v);
          case "NodeChecks" -> {
            nodeChecks = strings(field, v);
            nodeChecksGiven = true;
          }
          case "Checks" -> checks = strings(field, v);
          case "ServiceChecks" -> serviceChecks = serviceCheckIds(v);
          default ->
              throw new Refused(
                  400, "Request decode failed: json: unknown field \"" + e.getKey() + "\"");
        }
      }
    }
    // agent/session_endpoint.go fixupEmptySessionChecks: an empty Checks empties NodeChecks; the
    // default Checks gives way to NodeChecks
    if (checks.isEmpty()) {
      nodeChecks = List.of();
    } else if (checks.equals(List.of(SERF_HEALTH))) {
      checks = List.of();
    } else if (nodeChecksGiven && nodeChecks.isEmpty()) {
      checks = List.of();
    }
    // Session.Apply
    ConsulSession.Behavior behavior =
        switch (behaviorText) {
          case "", "release" -> ConsulSession.Behavior.RELEASE;
          case "delete" -> ConsulSession.Behavior.DELETE;
          default -> throw new Refused(500, "Invalid Behavior setting '" + behaviorText + "'");
        };
    Duration ttl = null;
    if (!ttlText.isEmpty()) {
      Duration parsedTtl;
      try {
        parsedTtl = Waits.parseGoDuration(ttlText);
      } catch (IllegalArgumentException e) {
        throw new Refused(
            500,
            "Session TTL '"
                + ttlText
                + "' invalid: time: invalid duration \""
                + ttlText.replace("\"", "\\\"")
                + "\"");
      }
      if (!parsedTtl.isZero()
          && (parsedTtl.compareTo(TTL_MIN) < 0 || parsedTtl.compareTo(TTL_MAX) > 0)) {
        throw new Refused(
            500,
            "Invalid Session TTL '"
                + parsedTtl.toNanos()
                + "', must be between [10s=24h0m0s]"); // Go's %d of a time.Duration: nanoseconds
      }
      ttl = parsedTtl.isZero() ? null : parsedTtl;
    }
    // state store: sessionCreateTxn
    if (!node.equals(ConsulTestServer.NODE_NAME)) {
      throw new Refused(500, "Missing node registration");
    }
    for (String check : concat(nodeChecks, checks, serviceChecks)) {
      if (!check.equals(SERF_HEALTH) || serviceChecks.contains(check)) {
        throw new Refused(500, "Missing check '" + check + "' registration");
      }
    }
    lock.lock();
    try {
      long idx = kv.nextRaftIndexLocked();
      ConsulSession s =
          new ConsulSession(
              UUID.randomUUID().toString(),
              name,
              node,
              lockDelay,
              behavior,
              ttlText,
              ttl,
              nodeChecks,
              checks,
              idx,
              idx);
      sessions.put(s.id(), new Live(s, deadline(ttl)));
      tableIndex = idx;
      kv.changedCondition().signalAll();
      return s;
    } finally {
      lock.unlock();
    }
  }

  /** {@code PUT /v1/session/renew/:id}: resets the TTL timer; empty for an unknown session. */
  Optional<ConsulSession> renew(String id) {
    lock.lock();
    try {
      Live l = sessions.get(id);
      if (l == null) {
        return Optional.empty();
      }
      l.deadline = deadline(l.session.ttl().orElse(null));
      kv.changedCondition().signalAll(); // the reaper re-reads the deadlines
      return Optional.of(l.session);
    } finally {
      lock.unlock();
    }
  }

  /** {@code PUT /v1/session/destroy/:id}: idempotent; returns whether the session existed. */
  boolean destroy(String id) {
    lock.lock();
    try {
      return invalidateLocked(id);
    } finally {
      lock.unlock();
    }
  }

  Optional<ConsulSession> get(String id) {
    lock.lock();
    try {
      Live l = sessions.get(id);
      return l == null ? Optional.empty() : Optional.of(l.session);
    } finally {
      lock.unlock();
    }
  }

  List<ConsulSession> list() {
    lock.lock();
    try {
      List<ConsulSession> out = new ArrayList<>();
      sessions.values().forEach(l -> out.add(l.session));
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** The session table index (raft index of its last change; 1 before any). */
  long index() {
    lock.lock();
    try {
      return tableIndex;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A blocking read of the session table: returns once its index exceeds {@code minIndex}, or after
   * {@code timeoutNanos}. {@code minIndex == 0} does not block.
   *
   * @throws KvStore.ClosedException if the server closes meanwhile
   */
  void awaitIndex(long minIndex, long timeoutNanos) {
    if (minIndex == 0) {
      return;
    }
    lock.lock();
    try {
      if (tableIndex > minIndex) {
        return;
      }
      kv.blockedDeltaLocked(1);
      try {
        long remaining = timeoutNanos;
        while (tableIndex <= minIndex && remaining > 0 && !kv.isClosedLocked()) {
          remaining = kv.changedCondition().awaitNanos(remaining);
        }
      } finally {
        kv.blockedDeltaLocked(-1);
      }
      if (kv.isClosedLocked()) {
        throw new KvStore.ClosedException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvStore.ClosedException();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ KV locks

  /**
   * {@code PUT /v1/kv/KEY?acquire=SESSION}: Consul's lock-delay check (kvsPreApply: a key released
   * by an invalidated session stays unacquirable for its lock delay) then {@code kvsLockTxn}.
   *
   * @return whether the session holds the key afterwards
   * @throws Refused for a missing or unknown session (500, as Consul answers)
   */
  boolean acquire(String key, byte[] value, long flags, String session) throws Refused {
    if (session.isEmpty()) {
      throw new Refused(500, "missing session");
    }
    lock.lock();
    try {
      Instant until = lockDelays.get(key);
      if (until != null) {
        if (until.isAfter(clock.instant())) {
          return false; // "Rejecting lock of key due to lock-delay"
        }
        lockDelays.remove(key);
      }
      if (!sessions.containsKey(session)) {
        throw new Refused(500, "invalid session \"" + session + "\"");
      }
      return kv.lockLocked(key, value, flags, session);
    } finally {
      lock.unlock();
    }
  }

  /** {@code PUT ?release=SESSION}: {@code kvsUnlockTxn}. */
  boolean release(String key, byte[] value, long flags, String session) throws Refused {
    if (session.isEmpty()) {
      throw new Refused(500, "missing session");
    }
    return kv.unlock(key, value, flags, session);
  }

  /** When {@code key}'s lock delay ends, if one applies now. */
  Optional<Instant> lockDelayUntil(String key) {
    lock.lock();
    try {
      Instant until = lockDelays.get(key);
      return until == null || !until.isAfter(clock.instant())
          ? Optional.empty()
          : Optional.of(until);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ invalidation

  /** Invalidates every session whose TTL deadline has passed on the clock; returns how many. */
  int expireDue() {
    lock.lock();
    try {
      return expireDueLocked();
    } finally {
      lock.unlock();
    }
  }

  private int expireDueLocked() {
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    for (Live l : sessions.values()) {
      if (l.deadline != null && !l.deadline.isAfter(now)) {
        due.add(l.session.id());
      }
    }
    due.forEach(this::invalidateLocked);
    return due.size();
  }

  /**
   * Consul's {@code deleteSessionTxn}: the session goes and, at the same raft index, its keys are
   * released or deleted per its behaviour, each getting the session's lock delay (at most 60 s).
   */
  private boolean invalidateLocked(String id) {
    Live l = sessions.remove(id);
    if (l == null) {
      return false;
    }
    long idx = kv.nextRaftIndexLocked();
    List<String> held = kv.heldByLocked(id);
    Duration delay = l.session.lockDelay();
    if (delay.compareTo(MAX_LOCK_DELAY) > 0) {
      delay = MAX_LOCK_DELAY;
    }
    if (!delay.isZero() && !delay.isNegative()) {
      Instant until = clock.instant().plus(delay);
      held.forEach(key -> lockDelays.put(key, until));
    }
    if (l.session.behavior() == ConsulSession.Behavior.DELETE) {
      kv.deleteAllLocked(held, idx);
    } else {
      kv.releaseAllLocked(held, idx);
    }
    tableIndex = idx;
    kv.changedCondition().signalAll();
    return true;
  }

  /** Drops every session and lock delay (server reset); held keys keep their holder field. */
  void clear() {
    lock.lock();
    try {
      sessions.clear();
      lockDelays.clear();
      tableIndex = kv.nextRaftIndexLocked();
      kv.changedCondition().signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Instant deadline(Duration ttl) {
    return ttl == null ? null : clock.instant().plus(ttl.multipliedBy(TTL_MULTIPLIER));
  }

  /** Go's encoding/json matches field names case-insensitively. */
  private static String canonical(String field) {
    for (String f : FIELDS) {
      if (f.equalsIgnoreCase(field)) {
        return f;
      }
    }
    return field;
  }

  private static String text(String field, Object v) throws Refused {
    if (v == JsonBody.NULL) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw new Refused(
          400,
          "Request decode failed: json: cannot unmarshal "
              + goType(v)
              + " into Go struct field Session."
              + field
              + " of type string");
    }
    return s;
  }

  private static List<String> strings(String field, Object v) throws Refused {
    if (v == JsonBody.NULL) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new Refused(
          400,
          "Request decode failed: json: cannot unmarshal "
              + goType(v)
              + " into Go struct field Session."
              + field
              + " of type []string");
    }
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      out.add(text(field, item));
    }
    return out;
  }

  private static List<String> serviceCheckIds(Object v) throws Refused {
    if (v == JsonBody.NULL) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new Refused(
          400,
          "Request decode failed: json: cannot unmarshal "
              + goType(v)
              + " into Go struct field Session.ServiceChecks of type []structs.ServiceCheck");
    }
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      Object id = item instanceof Map<?, ?> m ? m.get("ID") : null;
      out.add(id instanceof String s ? s : "");
    }
    return out;
  }

  /** Session.UnmarshalJSON: a Go duration string or nanoseconds; below 1000 means seconds. */
  private static Duration lockDelay(Object v) throws Refused {
    long nanos;
    if (v instanceof String s) {
      try {
        nanos = Waits.parseGoDuration(s).toNanos();
      } catch (IllegalArgumentException e) {
        throw new Refused(
            400,
            "Request decode failed: time: invalid duration \"" + s.replace("\"", "\\\"") + "\"");
      }
    } else if (v instanceof BigDecimal n) {
      nanos = n.longValue();
    } else if (v == JsonBody.NULL) {
      return DEFAULT_LOCK_DELAY;
    } else {
      throw new Refused(
          400, "Request decode failed: json: cannot unmarshal " + goType(v) + " into LockDelay");
    }
    if (nanos < LOCK_DELAY_MIN_THRESHOLD) {
      return Duration.ofSeconds(Math.max(0, nanos));
    }
    return Duration.ofNanos(nanos);
  }

  private static String goType(Object v) {
    if (v instanceof Map) {
      return "object";
    }
    if (v instanceof List) {
      return "array";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof BigDecimal) {
      return "number";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    return "null";
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  @Override
  public String toString() {
    return "SessionStore[clock=" + clock + ", realTime=" + realTime + "]";
  }
}
