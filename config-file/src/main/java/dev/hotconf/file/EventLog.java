package dev.hotconf.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events seen in the watched folders since the last read that covered them. Written by the
 * watcher thread, read by the scheduler thread; every method is synchronized.
 *
 * <p>Keeps at most {@link #MAX_EVENTS} events: beyond that (or after an OVERFLOW, a re-arm or a
 * rescan request) the burst is marked {@code opaque}, which rules the fast path out and leaves the
 * quiet period in charge.
 */
final class EventLog {
  static final int MAX_EVENTS = 2048;

  /** What happened. {@code REARM} and {@code RESCAN} are ours, not the watcher's. */
  enum Kind {
    CREATE,
    MODIFY,
    DELETE,
    OVERFLOW,
    REARM,
    RESCAN
  }

  /** One event; {@code path} is null for OVERFLOW and our own kinds. */
  record Event(long nanos, Kind kind, Path path) {}

  /** A copy of the pending events. {@code seq} identifies how far it reaches. */
  record Burst(List<Event> events, long firstNanos, long lastNanos, boolean opaque, long seq) {}

  private final ArrayList<Event> events = new ArrayList<>();
  private long seq;
  private long consumedSeq;
  private long firstNanos;
  private long lastNanos;
  private boolean opaque;

  synchronized void add(Kind kind, Path path, long nanos) {
    if (seq == consumedSeq) {
      firstNanos = nanos;
    }
    seq++;
    lastNanos = nanos;
    if (kind == Kind.OVERFLOW
        || kind == Kind.REARM
        || kind == Kind.RESCAN
        || events.size() >= MAX_EVENTS) {
      opaque = true;
    }
    if (events.size() < MAX_EVENTS) {
      events.add(new Event(nanos, kind, path));
    }
  }

  /** The pending burst, or null when nothing is pending. */
  synchronized Burst pending() {
    if (seq == consumedSeq) {
      return null;
    }
    return new Burst(List.copyOf(events), firstNanos, lastNanos, opaque, seq);
  }

  /** Whether anything arrived after {@code burst} was taken. */
  synchronized boolean changedSince(Burst burst) {
    return seq != burst.seq();
  }

  /** Drops what {@code burst} covered; later events stay pending. */
  synchronized void consume(Burst burst) {
    if (seq == burst.seq()) {
      events.clear();
      opaque = false;
      consumedSeq = seq;
      return;
    }
    int covered = Math.min(burst.events().size(), events.size());
    events.subList(0, covered).clear();
    // opaque stays as it is: conservative, it only costs a quiet period.
    consumedSeq = burst.seq();
    firstNanos = events.isEmpty() ? lastNanos : events.get(0).nanos();
  }
}
