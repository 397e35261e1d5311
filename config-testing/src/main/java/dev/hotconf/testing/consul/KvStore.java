package dev.hotconf.testing.consul;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The KV table, its tombstones and the raft-style index, modelled on Consul's state store ({@code
 * agent/consul/state/kvs.go}) and blocking-query loop ({@code agent/blockingquery}).
 *
 * <p>All state is guarded by one lock; blocked readers wait on one condition that every write
 * signals, and each reader re-checks whether <em>its</em> key or prefix changed, so a write
 * elsewhere does not end its wait.
 */
final class KvStore {

  /** Thrown to a reader still waiting when the store is closed or its wait is aborted. */
  static final class ClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("ConsulTestServer closed", null, false, false);
    }
  }

  /** What a read asks for. */
  enum Mode {
    SINGLE,
    LIST
  }

  /** A read: one key, or every key under a prefix. */
  static final class Query {
    final Mode mode;
    final String key;

    private Query(Mode mode, String key) {
      this.mode = mode;
      this.key = key;
    }

    static Query single(String key) {
      return new Query(Mode.SINGLE, key);
    }

    static Query prefix(String prefix) {
      return new Query(Mode.LIST, prefix);
    }
  }

  /**
   * The outcome of a read: the index for {@code X-Consul-Index} and the matching entries (sorted by
   * key).
   */
  static final class Result {
    final long index;
    final List<KvEntry> entries;

    Result(long index, List<KvEntry> entries) {
      this.index = index;
      this.entries = entries;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeMap<String, KvEntry> entries = new TreeMap<>();
  private final TreeMap<String, Long> tombstones = new TreeMap<>();

  /** The KV table index: never 0, the raft index of the last write that changed something. */
  private long index = 1;

  /**
   * The raft index: every write of any table (KV, sessions) takes the next one, so the KV table
   * index and session indexes never collide, as in Consul.
   */
  private long raft = 1;

  private int blocked;
  private boolean closed;

  /** Bumped by {@link #abortWaiting()}: readers that started waiting before it give up. */
  private long aborts;

  // ------------------------------------------------------------------ writes

  /** Sets a key; returns its ModifyIndex afterwards (unchanged when the content is identical). */
  long put(String key, byte[] value, long flags) {
    lock.lock();
    try {
      return set(key, value, flags);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Check-and-set: {@code cas == 0} creates only if absent; otherwise writes only if ModifyIndex
   * matches.
   */
  boolean cas(String key, byte[] value, long flags, long cas) {
    lock.lock();
    try {
      KvEntry existing = entries.get(key);
      if (cas == 0 ? existing != null : existing == null || existing.modifyIndex() != cas) {
        return false;
      }
      set(key, value, flags);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A plain write keeps whoever holds the key (Consul's {@code kvsSetTxn}, updateSession=false).
   */
  private long set(String key, byte[] value, long flags) {
    KvEntry existing = entries.get(key);
    return set(
        key,
        value,
        flags,
        existing == null ? 0 : existing.lockIndex(),
        existing == null ? null : existing.sessionOrNull());
  }

  /** Writes an entry with the given lock index and holder; caller holds the lock. */
  private long set(String key, byte[] value, long flags, long lockIndex, String session) {
    KvEntry existing = entries.get(key);
    if (existing != null && existing.sameEntry(value, flags, lockIndex, session)) {
      return existing
          .modifyIndex(); // Consul skips identical writes: no new ModifyIndex, no wake-up
    }
    long idx = index = ++raft;
    long createIndex = existing == null ? idx : existing.createIndex();
    entries.put(key, new KvEntry(key, value.clone(), flags, createIndex, idx, lockIndex, session));
    changed.signalAll();
    return idx;
  }

  // ------------------------------------------------------------------ locks (sessions)

  /**
   * {@code PUT ?acquire=SESSION} after the session and lock-delay checks ({@link SessionStore}):
   * Consul's {@code kvsLockTxn}. Caller holds the lock. Returns whether the session holds the key
   * afterwards (false when another session holds it).
   */
  boolean lockLocked(String key, byte[] value, long flags, String session) {
    KvEntry existing = entries.get(key);
    long lockIndex;
    if (existing == null) {
      lockIndex = 1;
    } else if (session.equals(existing.sessionOrNull())) {
      lockIndex = existing.lockIndex(); // already held: a plain update
    } else if (existing.sessionOrNull() != null) {
      return false; // someone else holds it
    } else {
      lockIndex = existing.lockIndex() + 1;
    }
    set(key, value, flags, lockIndex, session);
    return true;
  }

  /**
   * {@code PUT ?release=SESSION}: Consul's {@code kvsUnlockTxn}; the body becomes the value.
   * Returns false when the key is absent or held by another session (or by none).
   */
  boolean unlock(String key, byte[] value, long flags, String session) {
    lock.lock();
    try {
      KvEntry existing = entries.get(key);
      if (existing == null || !session.equals(existing.sessionOrNull())) {
        return false;
      }
      set(key, value, flags, existing.lockIndex(), null);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The keys {@code session} holds, sorted. Caller holds the lock. */
  List<String> heldByLocked(String session) {
    List<String> held = new ArrayList<>();
    for (KvEntry e : entries.values()) {
      if (session.equals(e.sessionOrNull())) {
        held.add(e.key());
      }
    }
    return held;
  }

  /**
   * A session invalidated with {@code release} behaviour: its keys lose their holder at raft index
   * {@code idx} (one transaction, as in Consul's {@code deleteSessionTxn}). Caller holds the lock.
   */
  void releaseAllLocked(List<String> keys, long idx) {
    for (String key : keys) {
      KvEntry e = entries.get(key);
      entries.put(
          key,
          new KvEntry(key, e.valueUnsafe(), e.flags(), e.createIndex(), idx, e.lockIndex(), null));
    }
    if (!keys.isEmpty()) {
      index = idx;
      changed.signalAll();
    }
  }

  /** A session invalidated with {@code delete} behaviour: its keys are deleted at {@code idx}. */
  void deleteAllLocked(List<String> keys, long idx) {
    for (String key : keys) {
      entries.remove(key);
      tombstones.put(key, idx);
    }
    if (!keys.isEmpty()) {
      index = idx;
      changed.signalAll();
    }
  }

  /** The next raft index, for a write outside the KV table (sessions). Caller holds the lock. */
  long nextRaftIndexLocked() {
    return ++raft;
  }

  /** The store's lock: sessions change keys and the index in the same transaction. */
  ReentrantLock lock() {
    return lock;
  }

  /** Signalled by every write; sessions use it to wake the TTL reaper too. */
  Condition changedCondition() {
    return changed;
  }

  boolean isClosedLocked() {
    return closed;
  }

  /** Counts a blocking query of another table (sessions) in {@link #blockedCount()}. */
  void blockedDeltaLocked(int delta) {
    blocked += delta;
  }

  /** Deletes one key, leaving a tombstone; returns whether it existed. */
  boolean delete(String key) {
    lock.lock();
    try {
      if (!entries.containsKey(key)) {
        return false;
      }
      long idx = index = ++raft;
      entries.remove(key);
      tombstones.put(key, idx);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Consul's delete-cas: true when the key is absent (nothing to do), otherwise deletes only if the
   * ModifyIndex matches.
   */
  boolean deleteCas(String key, long cas) {
    lock.lock();
    try {
      KvEntry existing = entries.get(key);
      if (existing == null) {
        return true;
      }
      if (existing.modifyIndex() != cas) {
        return false;
      }
      return delete(key);
    } finally {
      lock.unlock();
    }
  }

  /** Deletes every key starting with {@code prefix} in one write; returns how many were deleted. */
  int deletePrefix(String prefix) {
    lock.lock();
    try {
      List<String> doomed = new ArrayList<>();
      for (String k : entries.tailMap(prefix, true).keySet()) {
        if (!k.startsWith(prefix)) {
          break;
        }
        doomed.add(k);
      }
      if (doomed.isEmpty()) {
        return 0;
      }
      long idx = index = ++raft;
      for (String k : doomed) {
        entries.remove(k);
        tombstones.put(k, idx);
      }
      changed.signalAll();
      return doomed.size();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every entry and tombstone; the index still moves forward so watchers see a change. */
  void clear() {
    lock.lock();
    try {
      entries.clear();
      tombstones.clear();
      index = ++raft;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ reads

  Optional<KvEntry> get(String key) {
    lock.lock();
    try {
      return Optional.ofNullable(entries.get(key));
    } finally {
      lock.unlock();
    }
  }

  long index() {
    lock.lock();
    try {
      return index;
    } finally {
      lock.unlock();
    }
  }

  int blockedCount() {
    lock.lock();
    try {
      return blocked;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a read, blocking like Consul when {@code minIndex > 0}: returns as soon as the result's
   * index exceeds {@code minIndex}; otherwise waits for a change to the query's key or prefix (a
   * change elsewhere does not count) and re-checks, until {@code timeoutNanos} elapse, then returns
   * the current result.
   *
   * @throws ClosedException if the store is closed, or {@link #abortWaiting()} called, while
   *     waiting
   */
  Result read(Query query, long minIndex, long timeoutNanos) {
    lock.lock();
    try {
      Result result = evaluate(query);
      if (minIndex == 0 || result.index > minIndex) {
        return result;
      }
      long deadline = System.nanoTime() + timeoutNanos;
      long abortsAtStart = aborts;
      blocked++;
      try {
        while (result.index <= minIndex) {
          long watched = watchToken(query);
          long remaining = deadline - System.nanoTime();
          while (!closed
              && aborts == abortsAtStart
              && remaining > 0
              && watchToken(query) == watched) {
            remaining = changed.awaitNanos(remaining);
          }
          if (closed || aborts != abortsAtStart) {
            throw new ClosedException();
          }
          result = evaluate(query);
          if (remaining <= 0) {
            break;
          }
        }
        return result;
      } finally {
        blocked--;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClosedException();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Releases every reader waiting now with {@link ClosedException} (their connections close without
   * an answer); later readers block as usual.
   */
  void abortWaiting() {
    lock.lock();
    try {
      aborts++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Releases every waiting reader with {@link ClosedException}. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits (bounded) until no reader is blocked any more; used by close(). */
  boolean awaitNoBlocked(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    lock.lock();
    try {
      while (blocked > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        changed.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ index rules (caller holds
  // the lock)

  private Result evaluate(Query query) {
    if (query.mode == Mode.SINGLE) {
      KvEntry e = entries.get(query.key);
      // KVS.Get: an existing key answers with its own ModifyIndex, a missing one with the table
      // index
      return e == null ? new Result(index, List.of()) : new Result(e.modifyIndex(), List.of(e));
    }
    List<KvEntry> found = new ArrayList<>();
    for (KvEntry e : entries.tailMap(query.key, true).values()) {
      if (!e.key().startsWith(query.key)) {
        break;
      }
      found.add(e);
    }
    long prefixIndex = prefixIndex(query.key);
    // KVS.List: max ModifyIndex of entries and tombstones under the prefix, else the table index
    return new Result(prefixIndex == 0 ? index : prefixIndex, List.copyOf(found));
  }

  /** What a blocked reader watches: it wakes only when this value changes. */
  private long watchToken(Query query) {
    if (query.mode == Mode.SINGLE) {
      KvEntry e = entries.get(query.key);
      if (e != null) {
        return e.modifyIndex();
      }
      Long t = tombstones.get(query.key);
      return t == null ? 0 : t;
    }
    return prefixIndex(query.key);
  }

  private long prefixIndex(String prefix) {
    if (prefix.isEmpty()) {
      return index;
    }
    long max = 0;
    max = Math.max(max, maxUnder(entries, prefix, true));
    max = Math.max(max, maxUnder(tombstones, prefix, false));
    return max;
  }

  private static long maxUnder(TreeMap<String, ?> map, String prefix, boolean entryValues) {
    long max = 0;
    Iterator<? extends Map.Entry<String, ?>> it = map.tailMap(prefix, true).entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, ?> e = it.next();
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      long idx = entryValues ? ((KvEntry) e.getValue()).modifyIndex() : (Long) e.getValue();
      max = Math.max(max, idx);
    }
    return max;
  }
}
