package dev.hotconf.file;

import dev.hotconf.file.DiskReader.Content;
import dev.hotconf.file.DiskReader.Listing;
import dev.hotconf.file.DiskReader.Result;
import dev.hotconf.file.EventLog.Burst;
import dev.hotconf.file.EventLog.Kind;
import dev.hotconf.parse.ConfigFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: a burst is the events since the last read (EventLog). Its read happens when the burst
 * has been quiet for `debounce` (trailing edge) or is `maxWait` old. Fast path: when the burst has
 * been quiet for `renameWindow` and FastPath says every touched file arrived by a rename (complete
 * by construction), it is read at once; the read must be stable (no change of size/mtime/inode
 * while reading, no new event meanwhile) or it falls back to the quiet period. Writes into a file
 * (in place, vim's new file, delete-and-recreate) always wait for the quiet period, so a
 * half-written state is read only if the writer pauses longer than the debounce, and then the rest
 * supersedes it (an invalid intermediate is a parse failure, which the pipeline never publishes).
 * OVERFLOW, a re-arm and the periodic safety rescan lead to a full re-read after the quiet period
 * (the rescan reads at once when nothing is pending).
 *
 * At most one check is pending: a request for an earlier one replaces it (checkLock). Everything
 * else runs on the scheduler thread.
 */

/**
 * Decides when a {@link FileSource} reads: times each burst of events (quiet period, maximum wait,
 * the rename fast path), runs the safety rescan, reads through {@link DiskReader}, hands what it
 * read to {@link Delivery}, and keeps track of where the tracked files really are (for {@link
 * FastPath} and the extra folders {@link WatcherKeeper} watches). See the comment above the class.
 * {@link #eventArrived} from any thread; the rest on the scheduler thread.
 */
final class BurstScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  private final String name;
  private final Path path;
  private final Path watchRoot;
  private final boolean directoryMode;
  private final ConfigFormat format;
  private final int maxBytes;
  private final long debounceNanos;
  private final long maxWaitNanos;
  private final long renameNanos;
  private final boolean fastPath;
  private final EventLog events;
  private final SchedulerThread scheduler;
  private final DiskReader reader;
  private final AtomicLong fastReads = new AtomicLong();
  private final AtomicLong slowReads = new AtomicLong();

  private final Object checkLock = new Object();
  // guarded by checkLock
  private ScheduledFuture<?> pendingCheck;
  private long pendingDue;

  // scheduler thread only; set once by wire()
  private WatcherKeeper keeper;
  private Delivery delivery;

  /** Where each tracked file (by name) really was at the last read that found content. */
  private final Map<String, Path> lastReal = new HashMap<>();

  BurstScheduler(
      String name,
      Path path,
      boolean directoryMode,
      ConfigFormat format,
      FileSourceConfig config,
      EventLog events,
      SchedulerThread scheduler,
      DiskReader reader) {
    this.name = name;
    this.path = path;
    this.watchRoot = directoryMode ? path : path.getParent();
    this.directoryMode = directoryMode;
    this.format = format;
    this.maxBytes = config.parseLimits().maxDocumentBytes();
    this.debounceNanos = config.debounce().toNanos();
    this.maxWaitNanos = config.maxWait().toNanos();
    this.renameNanos = config.renameWindow().toNanos();
    this.fastPath = config.fastRenamePath();
    this.events = events;
    this.scheduler = scheduler;
    this.reader = reader;
  }

  /** The watcher keeper and the delivery, which are built around this scheduler. */
  void wire(WatcherKeeper keeper, Delivery delivery) {
    this.keeper = keeper;
    this.delivery = delivery;
  }

  /**
   * An event was recorded: check after the rename window (a file event, fast path on) or the quiet
   * period (OVERFLOW, a re-arm, a rescan). Any thread.
   */
  void eventArrived(Kind kind) {
    boolean fileEvent = kind == Kind.CREATE || kind == Kind.MODIFY || kind == Kind.DELETE;
    requestCheck(fastPath && fileEvent ? renameNanos : debounceNanos);
  }

  /** Reads and delivers now (the first read, at start). */
  void readNow() {
    readAndDeliver(null, false);
  }

  /**
   * The periodic safety rescan. When no events are pending it reads at once (delivering only if the
   * content changed), so it never holds a burst back: routing it through the event log made any
   * rename landing just after it wait the full quiet period. A file that changes while it is read
   * falls back to a RESCAN event and the quiet period.
   */
  void rescan() {
    if (events.pending() != null) {
      return; // a check is already due and reads everything
    }
    Listing listing = readListing();
    if (!listing.stable() || events.pending() != null) {
      events.add(Kind.RESCAN, null, System.nanoTime());
      requestCheck(debounceNanos);
      return;
    }
    delivery.deliver(listing);
    rememberRealPaths(listing);
  }

  /** Reads that took the fast rename path. */
  long fastReads() {
    return fastReads.get();
  }

  /** Reads after the quiet period, max wait, rescan or re-arm. */
  long slowReads() {
    return slowReads.get();
  }

  /** Makes sure a check runs within {@code delayNanos}. Any thread. */
  private void requestCheck(long delayNanos) {
    if (scheduler.closed()) {
      return;
    }
    long due = System.nanoTime() + delayNanos;
    synchronized (checkLock) {
      if (pendingCheck != null && pendingDue - due <= 0) {
        return;
      }
      if (pendingCheck != null) {
        pendingCheck.cancel(false);
      }
      pendingCheck = scheduler.schedule(this::runCheck, delayNanos);
      pendingDue = due;
    }
  }

  private void runCheck() {
    synchronized (checkLock) {
      pendingCheck = null;
    }
    check();
  }

  private void check() {
    Burst burst = events.pending();
    if (burst == null) {
      return;
    }
    long now = System.nanoTime();
    long quiet = now - burst.lastNanos();
    long age = now - burst.firstNanos();
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "hotconf {}: check: {} events, quiet {} us, age {} us, opaque {}",
          name,
          burst.events().size(),
          quiet / 1000,
          age / 1000,
          burst.opaque());
    }
    if (quiet >= debounceNanos || age >= maxWaitNanos) {
      readAndDeliver(burst, false);
      return;
    }
    if (fastPath
        && !burst.opaque()
        && quiet >= renameNanos
        && FastPath.eligible(burst.events(), trackedNow())
        && readAndDeliver(burst, true)) {
      return;
    }
    long next = Math.min(burst.lastNanos() + debounceNanos, burst.firstNanos() + maxWaitNanos);
    if (fastPath && !burst.opaque() && quiet < renameNanos) {
      next = Math.min(next, burst.lastNanos() + renameNanos);
    }
    requestCheck(Math.max(0, next - now));
  }

  /** The tracked files as they resolve now, for {@link FastPath}. */
  private List<FastPath.Tracked> trackedNow() {
    Set<String> names = new TreeSet<>(lastReal.keySet());
    if (directoryMode) {
      try (var entries = Files.newDirectoryStream(watchRoot)) {
        for (Path e : entries) {
          String n = e.getFileName().toString();
          if (FragmentNames.fragmentFormat(n, format).isPresent()) {
            names.add(n);
          }
        }
      } catch (IOException | RuntimeException e) {
        // judged on what we knew; the read decides anyway
      }
    } else {
      names.add(path.getFileName().toString());
    }
    List<FastPath.Tracked> out = new ArrayList<>();
    for (String n : names) {
      Path given = watchRoot.resolve(n);
      boolean exists = Files.exists(given);
      out.add(
          new FastPath.Tracked(
              given,
              FastPath.linkChain(given),
              exists ? keeper.inWatchSpace(DiskReader.realOrSelf(given)) : null,
              lastReal.get(n),
              exists));
    }
    return out;
  }

  private Listing readListing() {
    if (directoryMode) {
      return reader.readFolder(path, format, maxBytes);
    }
    SortedMap<String, Result> one = new TreeMap<>();
    one.put(path.getFileName().toString(), reader.readFile(path, maxBytes));
    return new Listing(null, one);
  }

  /**
   * Reads and delivers if the outcome changed. {@code burst} (null at start) is consumed when the
   * read covers it. Returns false when a fast read was not safe (the caller falls back).
   */
  private boolean readAndDeliver(Burst burst, boolean fast) {
    Listing listing = readListing();
    if (burst != null) {
      if (fast && (!listing.stable() || events.changedSince(burst))) {
        LOG.debug("hotconf {}: fast path not safe (changing while read); waiting for quiet", name);
        return false;
      }
      boolean overdue = System.nanoTime() - burst.firstNanos() >= maxWaitNanos;
      if (!listing.stable() && !overdue) {
        LOG.debug("hotconf {}: file changing while read; waiting for quiet", name);
        requestCheck(debounceNanos);
        return false;
      }
      events.consume(burst);
      (fast ? fastReads : slowReads).incrementAndGet();
    }
    delivery.deliver(listing);
    rememberRealPaths(listing);
    return true;
  }

  private void rememberRealPaths(Listing listing) {
    if (listing.fragments().values().stream().noneMatch(r -> r instanceof Content)) {
      return; // nothing readable now (missing, failing): keep what we knew, and the watches
    }
    lastReal.clear();
    Set<Path> extras = new LinkedHashSet<>();
    Path rootReal = keeper.rootReal();
    listing
        .fragments()
        .forEach(
            (n, r) -> {
              if (r instanceof Content c) {
                Path real = c.identity().real();
                lastReal.put(n, keeper.inWatchSpace(real));
                Path parent = real.getParent();
                if (parent != null
                    && !parent.equals(rootReal)
                    && !parent.equals(watchRoot)
                    && !ShallowVisitor.isKubernetesFolder(rootReal, parent)
                    && !ShallowVisitor.isKubernetesFolder(watchRoot, parent)) {
                  extras.add(parent);
                }
              }
            });
    keeper.watchAlso(extras);
  }
}
