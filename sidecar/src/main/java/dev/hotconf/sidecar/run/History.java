package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The last valid versions the sidecar published (the newest first): what {@code GET /v1/history}
 * lists, {@code GET /v1/history/N} serves and {@code POST /v1/pin?version=N} pins. Bounded in
 * entries and in bytes of content; the newest entry is always kept.
 *
 * <p>Thread-safe.
 */
final class History {

  /** Most origins kept per entry. */
  static final int MAX_ORIGINS = 50;

  /**
   * One valid version: its version, content hash, when it was published, its JSON (the body of
   * {@code GET /v1/config} for it: values in clear, as there) and where its values came from
   * (files, Consul keys with their index).
   */
  record Entry(long version, String hash, Instant time, byte[] json, List<String> origins) {
    Entry {
      json = json.clone();
      origins = List.copyOf(origins);
    }

    @Override
    public byte[] json() {
      return json.clone();
    }

    int size() {
      return json.length;
    }

    static Entry of(ConfigSnapshot s) {
      Set<String> origins = new LinkedHashSet<>();
      for (ConfigNode leaf : s.values().values()) {
        if (origins.size() == MAX_ORIGINS) {
          break;
        }
        origins.add(leaf.origin().location());
      }
      return new Entry(
          s.version(),
          s.hash(),
          s.createdAt(),
          s.toJson().getBytes(StandardCharsets.UTF_8),
          new ArrayList<>(origins));
    }
  }

  private final int maxEntries;
  private final long maxBytes;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // newest first
  private long bytes;

  /**
   * @param maxEntries most versions kept (0: none)
   * @param maxBytes most bytes of content kept (the newest version is kept whatever its size)
   */
  History(int maxEntries, long maxBytes) {
    if (maxEntries < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("maxEntries and maxBytes must be >= 0");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Records a published version (an older or repeated version than the newest is ignored). */
  synchronized void add(ConfigSnapshot snapshot) {
    if (maxEntries == 0) {
      return;
    }
    Entry newest = entries.peekFirst();
    if (newest != null && newest.version() >= snapshot.version()) {
      return;
    }
    Entry e = Entry.of(snapshot);
    entries.addFirst(e);
    bytes += e.size();
    while (entries.size() > maxEntries || (bytes > maxBytes && entries.size() > 1)) {
      bytes -= entries.removeLast().size();
    }
  }

  /** The kept versions, newest first. */
  synchronized List<Entry> list() {
    return List.copyOf(entries);
  }

  /** Version {@code version}, if kept. */
  synchronized Optional<Entry> get(long version) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.version() == version) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Bytes of content kept. */
  synchronized long bytes() {
    return bytes;
  }
}
