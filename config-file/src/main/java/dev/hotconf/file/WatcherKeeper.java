package dev.hotconf.file;

import dev.hotconf.file.EventLog.Kind;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: directory-watcher (hashing off, registering only the folders ShallowVisitor allows) runs
 * its event loop on a thread of its own, which only appends to the EventLog and tells the timing.
 * Everything else here runs on the scheduler thread. Deleting the watched folder ends
 * directory-watcher silently, and renaming it away leaves it watching the wrong folder: a health
 * check every HEALTH_CHECK_MILLIS (and the watcher's end) compares the folder's file key with the
 * one armed and the extra folders with the wanted ones; on a difference it re-arms (or waits for the
 * folder to return) and records a REARM event, which leads to a full re-read after the quiet period.
 */

/**
 * Keeps a directory watcher armed on a {@link FileSource}'s watched folder, and on the extra
 * folders where symbolic links lead: arms it, checks its health, re-arms it when the folder was
 * deleted, replaced or renamed away, and turns its events into {@link EventLog} entries (see the
 * comment above the class). Scheduler thread only, except {@link #close()} (any thread).
 */
final class WatcherKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  /** How often the health check runs. */
  static final long HEALTH_CHECK_MILLIS = 500;

  private final String name;
  private final Path watchRoot;
  private final boolean notifications;
  private final EventLog events;
  private final SchedulerThread scheduler;
  private final Consumer<Kind> onEvent;
  private final ThreadPoolExecutor watcherThread;

  private final Object lock = new Object();
  // guarded by lock (closed is written under it, read without)
  private DirectoryWatcher watcher;
  private volatile boolean closed;

  // scheduler thread only
  private CompletableFuture<Void> watcherDone;
  private Object armedRootKey;
  private Path armedRootReal;
  private Set<Path> armedExtras = Set.of();
  private Set<Path> wantedExtras = Set.of();
  private boolean armFailureLogged;

  /**
   * @param notifications false for a file system that sends none (tests): never arms, the safety
   *     rescan alone sees changes
   * @param onEvent told of every event recorded (on the watcher or the scheduler thread)
   */
  WatcherKeeper(
      String name,
      Path watchRoot,
      String watcherThreadName,
      boolean notifications,
      EventLog events,
      SchedulerThread scheduler,
      Consumer<Kind> onEvent) {
    this.name = name;
    this.watchRoot = watchRoot;
    this.notifications = notifications;
    this.events = events;
    this.scheduler = scheduler;
    this.onEvent = onEvent;
    this.watcherThread =
        new ThreadPoolExecutor(
            0,
            1,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, watcherThreadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Makes sure a live watcher watches the current watched folder (and the extra folders). On a
   * change, re-arms; {@code recordRearm} then records a REARM event so that a re-read follows.
   */
  void ensureArmed(boolean recordRearm) {
    if (!notifications) {
      return;
    }
    Object rootKey = DiskReader.folderKey(watchRoot);
    boolean healthy =
        watcherDone != null
            && !watcherDone.isDone()
            && rootKey != null
            && rootKey.equals(armedRootKey)
            && wantedExtras.equals(armedExtras);
    if (healthy || isClosed()) {
      return;
    }
    boolean wasArmed = watcherDone != null;
    disarm();
    if (rootKey != null) {
      if (!arm(rootKey, wantedExtras) && !wantedExtras.isEmpty() && arm(rootKey, Set.of())) {
        // the extra folders cannot be watched: watch the main one; the rescan covers the rest
        armedExtras = wantedExtras;
      }
    } else if (wasArmed) {
      LOG.info("hotconf {}: folder {} is gone; waiting for it to return", name, watchRoot);
    }
    if (recordRearm && (wasArmed || watcherDone != null)) {
      record(Kind.REARM, null);
    }
  }

  /** Also watches {@code extras} (folders outside the watched one where the real files are). */
  void watchAlso(Set<Path> extras) {
    if (!extras.equals(wantedExtras)) {
      wantedExtras = Set.copyOf(extras);
      ensureArmed(true);
    }
  }

  /** The watched folder's real path as armed (or as it resolves now, when not armed). */
  Path rootReal() {
    return armedRootReal != null ? armedRootReal : DiskReader.realOrSelf(watchRoot);
  }

  /**
   * A real path under the watched folder, spelled the way the watcher spells event paths (through
   * the folder as given, which may itself sit behind a symbolic link).
   */
  Path inWatchSpace(Path real) {
    Path rootReal = armedRootReal;
    if (rootReal != null && !rootReal.equals(watchRoot) && real.startsWith(rootReal)) {
      return watchRoot.resolve(rootReal.relativize(real));
    }
    return real;
  }

  /** Closes the watcher and ends its thread. Any thread; idempotent. */
  void close() {
    DirectoryWatcher w;
    synchronized (lock) {
      closed = true;
      w = watcher;
      watcher = null;
    }
    closeQuietly(w);
    watcherThread.shutdownNow();
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return watcherThread.awaitTermination(timeout, unit);
  }

  private boolean isClosed() {
    return closed;
  }

  private void record(Kind kind, Path path) {
    events.add(kind, path, System.nanoTime());
    onEvent.accept(kind);
  }

  /** Starts a watcher on the watched folder and {@code extras}; false if that failed. */
  private boolean arm(Object rootKey, Set<Path> extras) {
    List<Path> paths = new ArrayList<>();
    paths.add(watchRoot);
    paths.addAll(extras);
    DirectoryWatcher w;
    try {
      w =
          DirectoryWatcher.builder()
              .paths(paths)
              .fileHashing(false)
              .fileTreeVisitor(new ShallowVisitor(watchRoot, extras))
              .listener(new Listener())
              .build();
    } catch (IOException | RuntimeException e) {
      logArmFailure(paths, e);
      return false;
    }
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (closed) {
        closeQuietly(w);
        return false;
      }
      watcher = w;
      done = w.watchAsync(watcherThread);
    }
    if (done.isCompletedExceptionally()) {
      synchronized (lock) {
        watcher = null;
      }
      closeQuietly(w);
      done.exceptionally(
          t -> {
            logArmFailure(paths, t);
            return null;
          });
      return false;
    }
    armFailureLogged = false;
    watcherDone = done;
    armedRootKey = rootKey;
    armedExtras = extras;
    armedRootReal = DiskReader.realOrSelf(watchRoot);
    LOG.debug(
        "hotconf {}: watching {}{}", name, watchRoot, extras.isEmpty() ? "" : " and " + extras);
    done.whenComplete(
        (v, t) -> {
          if (!isClosed()) {
            scheduler.execute(() -> ensureArmed(true));
          }
        });
    return true;
  }

  private void logArmFailure(List<Path> paths, Throwable t) {
    if (!armFailureLogged) {
      armFailureLogged = true;
      LOG.warn(
          "hotconf {}: cannot watch {} ({}); the health check retries every {} ms and the "
              + "safety rescan still applies",
          name,
          paths,
          t.toString(),
          HEALTH_CHECK_MILLIS);
    }
  }

  private void disarm() {
    DirectoryWatcher w;
    synchronized (lock) {
      w = watcher;
      watcher = null;
    }
    closeQuietly(w);
    watcherDone = null;
    armedRootKey = null;
    armedExtras = Set.of();
  }

  private static void closeQuietly(DirectoryWatcher w) {
    if (w != null) {
      try {
        w.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing a directory watcher failed: {}", e.toString());
      }
    }
  }

  /** directory-watcher's callbacks, on its thread: events become EventLog entries. */
  private final class Listener implements DirectoryChangeListener {
    @Override
    public void onEvent(DirectoryChangeEvent e) {
      Kind kind =
          switch (e.eventType()) {
            case CREATE -> Kind.CREATE;
            case MODIFY -> Kind.MODIFY;
            case DELETE -> Kind.DELETE;
            case OVERFLOW -> Kind.OVERFLOW;
          };
      Path p = kind == Kind.OVERFLOW ? null : e.path();
      if (LOG.isTraceEnabled()) {
        LOG.trace("hotconf {}: {} {}", name, kind, p);
      }
      record(kind, p);
    }

    @Override
    public void onException(Exception e) {
      LOG.debug("hotconf {}: watcher reported {}", name, e.toString());
    }

    @Override
    public boolean isWatching() {
      return !isClosed() && !scheduler.closed();
    }
  }
}
