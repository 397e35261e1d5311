package dev.hotconf.file;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. A FileSource is four parts on two threads (plus a short-lived opener thread per read,
 * see DiskReader); this class is the lifecycle (factories, start, close) and wires the others:
 *
 * - WatcherKeeper arms directory-watcher on the watched folder (hashing off; ShallowVisitor keeps
 *   it to that folder, its ..* sub-folders and the extra folders where links lead), checks its
 *   health every 500 ms and re-arms it. Its event loop runs on the watcher thread, which only
 *   appends to the EventLog and tells the BurstScheduler.
 * - BurstScheduler decides when to read: quiet period, maximum wait, the rename fast path
 *   (FastPath), the safety rescan. It reads through DiskReader (which never blocks on a FIFO: see
 *   there) and hands every read to Delivery.
 * - Delivery compares the read's Outcome (content by SHA-256, missing by reason, failure by
 *   message) with the last one delivered, parses what is new and calls the listener.
 *
 * Everything but the watcher's event loop runs on the scheduler thread (SchedulerThread), so the
 * parts' state needs no locks. Events are hints, never facts: a check re-resolves every tracked
 * file (real path, file key) and re-reads it; the file named in the config can change without any
 * event naming it (the Kubernetes ..data swap), so events are never filtered by name.
 */

/**
 * A {@link ConfigSource} over a file, or over a {@code conf.d}-style folder of fragments, watched
 * with directory-watcher and re-read when it changes. Create one with {@link #watching(Path)} or
 * {@link #directory(Path)} and hand it to {@code HotConfig.builder().source(...)}.
 *
 * <p>Every way tools replace a file ends with the final content live: in-place rewrites, temp file
 * plus rename, vim's backup dance, delete and recreate, and Kubernetes ConfigMap volumes (symbolic
 * links swapped atomically). Bursts of events are debounced; a replacement that arrived by a rename
 * goes live after a short coalescing window. A missing file is reported with {@link
 * SourceListener#onMissing} (its last good content stays in use) and picked up when it returns; an
 * unreadable or unparsable one with {@link SourceListener#onFailure}. Identical content is never
 * delivered twice in a row.
 *
 * <p><b>Directory mode</b>: files named {@code *.yaml}, {@code *.yml}, {@code *.json} or {@code
 * *.properties} (any name when a format is forced) are merged in lexical order of their names,
 * later ones overriding earlier ones; hidden and editor temporary files are ignored (see the
 * README). A fragment that fails to parse fails the whole folder (its last good merged content
 * stays).
 *
 * <p><b>Threads</b>: after {@link #start}, one daemon watcher thread {@code
 * hotconf-file-watcher-NAME} and one daemon scheduler thread {@code hotconf-file-scheduler-NAME}
 * (debounce, reading, rescans); the listener is called on the scheduler thread. Each read opens the
 * file on a daemon thread {@code hotconf-file-opener-NAME-N} that ends with the open (so that a
 * FIFO put where the file was never blocks the source). {@link #close()} stops them and waits
 * (briefly) for them to end. Thread-safe.
 *
 * <p><b>Nulls</b>: factories reject null arguments with a {@link NullPointerException}; no method
 * returns null.
 */
public final class FileSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  private final Path path;
  private final boolean directoryMode;
  private final FileSourceConfig config;
  private final ConfigFormat format;
  private final String name;
  private final String threadLabel;
  private final boolean notifications;

  private final Object lifecycle = new Object();
  // written under lifecycle, read without it (volatile)
  private boolean started;
  private volatile boolean closed;
  private volatile SchedulerThread scheduler;
  private volatile WatcherKeeper keeper;
  private volatile DiskReader reader;
  private volatile BurstScheduler bursts;

  private FileSource(
      Path path,
      boolean directoryMode,
      FileSourceConfig config,
      ConfigFormat format,
      boolean notifications) {
    this.notifications = notifications;
    this.path = path;
    this.directoryMode = directoryMode;
    this.config = config;
    this.format = format;
    this.name = "file:" + path;
    Path fileName = path.getFileName();
    this.threadLabel = fileName == null ? path.toString() : fileName.toString();
  }

  // ---- factories ----

  /** Watches one file with the default {@link FileSourceConfig}. */
  public static FileSource watching(Path file) {
    return watching(file, FileSourceConfig.defaults());
  }

  /**
   * Watches one file. A relative path is resolved against the working directory now, once.
   *
   * @throws IllegalArgumentException if the format cannot be told from the file name and none is
   *     forced in {@code config}, or the path has no file name
   */
  public static FileSource watching(Path file, FileSourceConfig config) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    Path abs = absolute(file);
    if (abs.getFileName() == null || abs.getParent() == null) {
      throw new IllegalArgumentException("cannot watch '" + file + "': it names no file");
    }
    String fileName = abs.getFileName().toString();
    ConfigFormat format =
        config
            .format()
            .or(() -> ConfigFormat.forFileName(fileName))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot tell the format of '"
                            + fileName
                            + "': use .yaml, .yml, .json or .properties, or set FileSourceConfig.builder().format(...)"));
    return new FileSource(abs, false, config, format, true);
  }

  /** Watches a {@code conf.d}-style folder of fragments with the default configuration. */
  public static FileSource directory(Path folder) {
    return directory(folder, FileSourceConfig.defaults());
  }

  /**
   * Watches a {@code conf.d}-style folder of fragments (see the class comment). A relative path is
   * resolved against the working directory now, once.
   */
  public static FileSource directory(Path folder, FileSourceConfig config) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(config, "config");
    return new FileSource(absolute(folder), true, config, config.format().orElse(null), true);
  }

  /**
   * For tests: a source that never arms a watcher, as on a file system that sends no notifications
   * (NFS); only the safety rescan sees changes.
   */
  static FileSource withoutNotifications(FileSource s) {
    return new FileSource(s.path, s.directoryMode, s.config, s.format, false);
  }

  private static Path absolute(Path p) {
    if (p.isAbsolute()) {
      return p.normalize();
    }
    Path abs = p.toAbsolutePath().normalize();
    LOG.info(
        "hotconf file source: relative path '{}' resolved against the working directory to {}",
        p,
        abs);
    return abs;
  }

  // ---- accessors ----

  /** {@code file:} and the absolute path. */
  @Override
  public String name() {
    return name;
  }

  /** The watched file or folder, absolute (as given, not resolving symbolic links). */
  public Path path() {
    return path;
  }

  /** Whether this source merges a folder of fragments. */
  public boolean isDirectory() {
    return directoryMode;
  }

  /** How this source debounces, re-reads and parses. */
  public FileSourceConfig config() {
    return config;
  }

  /** Reads that took the fast rename path (for tests); 0 before start. */
  long fastReads() {
    BurstScheduler b = bursts;
    return b == null ? 0 : b.fastReads();
  }

  /** Reads after the quiet period, max wait, rescan or re-arm; 0 before start. */
  long slowReads() {
    BurstScheduler b = bursts;
    return b == null ? 0 : b.slowReads();
  }

  /** FIFOs found where a file was being opened, and released (see DiskReader); 0 before start. */
  long fifoReleases() {
    DiskReader r = reader;
    return r == null ? 0 : r.fifoReleases();
  }

  /** Opens given up on after the open wait (a FIFO or a device at the path); 0 before start. */
  long openTimeouts() {
    DiskReader r = reader;
    return r == null ? 0 : r.openTimeouts();
  }

  @Override
  public String toString() {
    return "FileSource[" + name + (directoryMode ? " (directory)" : "") + "]";
  }

  // ---- lifecycle ----

  /**
   * Starts the threads, arms the watcher and reads once (asynchronously; the first answer follows
   * promptly).
   *
   * @throws IllegalStateException if already started or closed
   */
  @Override
  public void start(SourceListener l) {
    Objects.requireNonNull(l, "listener");
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException(name + " is closed");
      }
      if (started) {
        throw new IllegalStateException(name + " was already started");
      }
      started = true;
      EventLog events = new EventLog();
      SchedulerThread thread = new SchedulerThread(name, "hotconf-file-scheduler-" + threadLabel);
      DiskReader disk = new DiskReader(threadLabel);
      BurstScheduler timing =
          new BurstScheduler(name, path, directoryMode, format, config, events, thread, disk);
      WatcherKeeper watch =
          new WatcherKeeper(
              name,
              directoryMode ? path : path.getParent(),
              "hotconf-file-watcher-" + threadLabel,
              notifications,
              events,
              thread,
              timing::eventArrived);
      timing.wire(watch, new Delivery(name, path, directoryMode, format, config.parseLimits(), l));
      scheduler = thread;
      reader = disk;
      keeper = watch;
      bursts = timing;
      thread.execute(
          () -> {
            LOG.info(
                "hotconf {}: watching {} ({})", name, directoryMode ? "folder" : "file", config);
            watch.ensureArmed(false);
            timing.readNow();
          });
      thread.every(
          () -> watch.ensureArmed(true),
          TimeUnit.MILLISECONDS.toNanos(WatcherKeeper.HEALTH_CHECK_MILLIS));
      if (!config.rescanInterval().isZero()) {
        thread.every(timing::rescan, config.rescanInterval().toNanos());
      }
    }
  }

  /** Stops the watcher and scheduler threads and waits up to a few seconds for them. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    SchedulerThread s = scheduler;
    if (s == null) {
      return; // never started
    }
    keeper.close();
    s.close();
    reader.close();
    if (s.isCurrent()
        || Thread.currentThread().getName().equals("hotconf-file-watcher-" + threadLabel)) {
      return; // called from our own thread (e.g. a listener): do not wait for ourselves
    }
    try {
      if (!s.awaitTermination(3, TimeUnit.SECONDS)
          || !keeper.awaitTermination(3, TimeUnit.SECONDS)) {
        LOG.warn("hotconf {}: threads did not stop within 3 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
