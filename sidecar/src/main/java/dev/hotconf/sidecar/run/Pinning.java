package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Design: what the sidecar serves is decided here, one step at a time under this object's lock.
 * Every published snapshot goes into the history; unless a pin holds, it is served. A pin serves a
 * version from the history instead and holds until it is lifted; lifting it serves the live
 * snapshot again. Served versions only grow: a snapshot is served under its own version until the
 * first pin, and every pin, unpin or snapshot after that under the next number, so long polls and
 * push targets (which only ever take a newer version) take a pin like any new version. The pin is
 * written to the pin file before it is served, so a restart serves it again from the start.
 */

/**
 * The sidecar's history and pin: which version it serves. Thread-safe.
 *
 * <p>{@link #onSnapshot}, {@link #pin} and {@link #unpin} return what to serve now (or null for
 * nothing new); the caller serves it.
 */
final class Pinning {
  private static final Pattern CONSUL_ORIGIN = Pattern.compile("consul:(.+)@([0-9]{1,19})");

  /** An operator's pin: the version served instead of the live one, since when. */
  record Pin(History.Entry entry, Instant since) {
    /** The Consul index the pinned content came from (0 if none). */
    long consulIndex() {
      long max = 0;
      for (String o : entry.origins()) {
        Matcher m = CONSUL_ORIGIN.matcher(o);
        if (m.matches()) {
          max = Math.max(max, Long.parseLong(m.group(2)));
        }
      }
      return max;
    }
  }

  /** The version asked for is not (or no longer) in the history. */
  static final class UnknownVersion extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownVersion(String message) {
      super(message, null, false, false);
    }
  }

  private final History history;
  private final PinFile file;
  private final Clock clock;
  private Pin pin;
  private ConfigSnapshot live;
  private long lastServed;

  /**
   * @param file where a pin is kept across restarts, or null (a pin then lasts until the process
   *     ends)
   */
  Pinning(History history, PinFile file, Clock clock) {
    this.history = history;
    this.file = file;
    this.clock = clock;
  }

  History history() {
    return history;
  }

  /** Whether a pin survives a restart. */
  boolean persistent() {
    return file != null;
  }

  synchronized Optional<Pin> pin() {
    return Optional.ofNullable(pin);
  }

  /** The version served last (0 before the first). */
  synchronized long lastServed() {
    return lastServed;
  }

  /**
   * At start, before the first snapshot: the pin kept in the pin file, if any, to serve at once.
   *
   * @throws IOException when the pin file exists but cannot be read
   */
  synchronized Published restore() throws IOException {
    if (file == null) {
      return null;
    }
    Optional<History.Entry> kept = file.read();
    if (kept.isEmpty()) {
      return null;
    }
    pin = new Pin(kept.get(), clock.instant());
    return serve(pin.entry());
  }

  /** A new snapshot: kept in the history; what to serve, or null while pinned or if not newer. */
  synchronized Published onSnapshot(ConfigSnapshot snapshot) {
    if (live != null && live.version() >= snapshot.version()) {
      return null;
    }
    live = snapshot;
    history.add(snapshot);
    if (pin != null) {
      return null;
    }
    lastServed = Math.max(snapshot.version(), lastServed + 1);
    return Published.of(snapshot, lastServed);
  }

  /**
   * Pins version {@code version} of the history: written to the pin file, then served.
   *
   * @throws UnknownVersion when the history does not hold it
   * @throws IOException when the pin file cannot be written (nothing changes)
   */
  synchronized Published pin(long version) throws UnknownVersion, IOException {
    History.Entry entry =
        history
            .get(version)
            .or(
                () ->
                    pin != null && pin.entry().version() == version
                        ? Optional.of(pin.entry())
                        : Optional.empty())
            .orElseThrow(
                () ->
                    new UnknownVersion(
                        "version "
                            + version
                            + " is not in the history (GET /v1/history lists it)"));
    if (file != null) {
      file.write(entry);
    }
    pin = new Pin(entry, clock.instant());
    return serve(entry);
  }

  /**
   * Lifts the pin: the pin file goes and the live snapshot is served again. Null when nothing was
   * pinned.
   *
   * @throws IOException when the pin file cannot be removed (the pin stays)
   */
  synchronized Published unpin() throws IOException {
    if (pin == null) {
      return null;
    }
    if (file != null) {
      file.delete();
    }
    pin = null;
    if (live == null) {
      return null;
    }
    lastServed++;
    return Published.of(live, lastServed);
  }

  private Published serve(History.Entry entry) {
    ConfigObject root;
    try {
      root =
          ConfigFormat.JSON.parse(
              entry.json(),
              ConfigOrigin.of("pin", "version " + entry.version()),
              ParseLimits.builder()
                  .maxDocumentBytes(Integer.MAX_VALUE - 16)
                  .maxValues(Integer.MAX_VALUE)
                  .maxNestingDepth(1000)
                  .build());
    } catch (ConfigException e) {
      throw new IllegalStateException("a kept version does not parse back: " + e.getMessage());
    }
    lastServed++;
    return Published.pinned(entry, root, lastServed);
  }
}
