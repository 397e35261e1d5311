package dev.hotconf.file;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.file.EventLog.Burst;
import dev.hotconf.file.EventLog.Kind;
import dev.hotconf.file.Observer.Content;
import dev.hotconf.file.Observer.Failed;
import dev.hotconf.file.Observer.Listing;
import dev.hotconf.file.Observer.Missing;
import dev.hotconf.file.Observer.Result;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import dev.hotconf.source.Trees;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design.
 *
 * Threads: one watcher thread (directory-watcher's event loop, hashing off, registering only the
 * folders ShallowVisitor allows) and one scheduler thread. The watcher thread only appends to the
 * EventLog and asks for a check; everything else (reading, comparing, delivering, arming and
 * re-arming the watcher) runs on the scheduler thread, so that state needs no locks.
 *
 * Events are hints, never facts: a check re-resolves every tracked file (real path, file key) and
 * re-reads it, and delivers only when the outcome differs from the last one delivered (content by
 * SHA-256 of the bytes, missing by reason, failure by message). The file named in the config can
 * change without any event naming it (the Kubernetes ..data swap), so events are never filtered by
 * name.
 *
 * Timing of a burst (events since the last read): the read happens when the burst has been quiet
 * for `debounce` (trailing edge) or is `maxWait` old. Fast path: when the burst has been quiet for
 * `renameWindow` and FastPath says every touched file arrived by a rename (complete by
 * construction), it is read at once; the read must be stable (no change of size/mtime/inode while
 * reading, no new event meanwhile) or it falls back to the quiet period. Writes into a file (in
 * place, vim's new file, delete-and-recreate) always wait for the quiet period, so a half-written
 * state is read only if the writer pauses longer than the debounce, and then the rest supersedes it
 * (an invalid intermediate is a parse failure, which the pipeline never publishes).
 *
 * Watcher health: deleting the watched folder ends directory-watcher silently, and renaming it away
 * leaves it watching the wrong folder. A health check every HEALTH_CHECK_MILLIS compares the
 * folder's file key with the one armed and the watcher's future; on a difference it re-arms (or
 * waits for the folder to return) and records a REARM event, which leads to a full re-read after
 * the quiet period. OVERFLOW and the periodic safety rescan also lead to a full re-read.
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
 * (debounce, reading, rescans); the listener is called on the scheduler thread. {@link #close()}
 * stops both and waits (briefly) for them to end. Thread-safe.
 *
 * <p><b>Nulls</b>: factories reject null arguments with a {@link NullPointerException}; no method
 * returns null.
 */
public final class FileSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  static final long HEALTH_CHECK_MILLIS = 500;
  private static final String ORIGIN_SOURCE = "file";

  private final Path path;
  private final boolean directoryMode;
  private final FileSourceConfig config;
  private final ConfigFormat format;
  private final String name;
  private final Path watchRoot;
  private final String threadLabel;
  private final long debounceNanos;
  private final long maxWaitNanos;
  private final long renameNanos;
  private final boolean fastPath;
  private final boolean notifications;

  private final EventLog events = new EventLog();
  private final Object lifecycle = new Object();
  private final Object checkLock = new Object();
  private final AtomicLong fastReads = new AtomicLong();
  private final AtomicLong slowReads = new AtomicLong();

  private volatile boolean closed;
  // written under lifecycle; the executors are read without it (volatile)
  private boolean started;
  private volatile ScheduledThreadPoolExecutor scheduler;
  private volatile ThreadPoolExecutor watcherThread;
  private DirectoryWatcher watcher;
  // guarded by checkLock
  private ScheduledFuture<?> pendingCheck;
  private long pendingDue;

  // scheduler thread only
  private SourceListener listener;
  private CompletableFuture<Void> watcherDone;
  private Object armedRootKey;
  private Path armedRootReal;
  private Set<Path> armedExtras = Set.of();
  private Set<Path> wantedExtras = Set.of();
  private boolean armFailureLogged;
  private String lastOutcome;
  private final Map<String, Path> lastReal = new HashMap<>();
  private Map<String, Parsed> parsed = new HashMap<>();

  private record Parsed(String sha256, ConfigObject content, ConfigException error) {}

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
    this.watchRoot = directoryMode ? path : path.getParent();
    Path fileName = path.getFileName();
    this.threadLabel = fileName == null ? path.toString() : fileName.toString();
    this.debounceNanos = config.debounce().toNanos();
    this.maxWaitNanos = config.maxWait().toNanos();
    this.renameNanos = config.renameWindow().toNanos();
    this.fastPath = config.fastRenamePath();
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

  /** Reads that took the fast rename path (for tests and metrics). */
  long fastReads() {
    return fastReads.get();
  }

  /** Reads after the quiet period, max wait, rescan or re-arm. */
  long slowReads() {
    return slowReads.get();
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
      scheduler =
          new ScheduledThreadPoolExecutor(1, daemon("hotconf-file-scheduler-" + threadLabel));
      scheduler.setRemoveOnCancelPolicy(true);
      scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      watcherThread =
          new ThreadPoolExecutor(
              0,
              1,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemon("hotconf-file-watcher-" + threadLabel));
      scheduler.execute(
          () ->
              guarded(
                  () -> {
                    listener = l;
                    LOG.info(
                        "hotconf {}: watching {} ({})",
                        name,
                        directoryMode ? "folder" : "file",
                        config);
                    ensureArmed(false);
                    readAndDeliver(null, false);
                  }));
      scheduler.scheduleWithFixedDelay(
          () -> guarded(() -> ensureArmed(true)),
          HEALTH_CHECK_MILLIS,
          HEALTH_CHECK_MILLIS,
          TimeUnit.MILLISECONDS);
      if (!config.rescanInterval().isZero()) {
        long every = config.rescanInterval().toNanos();
        scheduler.scheduleWithFixedDelay(
            () -> guarded(this::rescan), every, every, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Stops the watcher and scheduler threads and waits up to a few seconds for them. Idempotent. */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor s;
    ThreadPoolExecutor w;
    DirectoryWatcher dw;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      s = scheduler;
      w = watcherThread;
      dw = watcher;
      watcher = null;
    }
    closeQuietly(dw);
    if (s == null) {
      return;
    }
    s.shutdownNow();
    w.shutdownNow();
    String current = Thread.currentThread().getName();
    if (current.equals("hotconf-file-scheduler-" + threadLabel)
        || current.equals("hotconf-file-watcher-" + threadLabel)) {
      return; // called from our own thread (e.g. a listener): do not wait for ourselves
    }
    try {
      if (!s.awaitTermination(3, TimeUnit.SECONDS) || !w.awaitTermination(3, TimeUnit.SECONDS)) {
        LOG.warn("hotconf {}: threads did not stop within 3 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String threadName) {
    return r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    };
  }

  private void guarded(Runnable r) {
    if (closed) {
      return;
    }
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      LOG.error("hotconf {}: unexpected error; the source keeps watching", name, e);
    }
  }

  // ---- the watcher ----

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
      events.add(kind, p, System.nanoTime());
      if (LOG.isTraceEnabled()) {
        LOG.trace("hotconf {}: {} {}", name, kind, p);
      }
      requestCheck(fastPath && kind != Kind.OVERFLOW ? renameNanos : debounceNanos);
    }

    @Override
    public void onException(Exception e) {
      LOG.debug("hotconf {}: watcher reported {}", name, e.toString());
    }

    @Override
    public boolean isWatching() {
      return !closed;
    }
  }

  /**
   * Makes sure a live watcher watches the current watched folder (and the extra folders). On a
   * change, re-arms; {@code recordRearm} then records a REARM event so that a re-read follows.
   */
  private void ensureArmed(boolean recordRearm) {
    if (!notifications) {
      return;
    }
    Object rootKey = Observer.folderKey(watchRoot);
    boolean healthy =
        watcherDone != null
            && !watcherDone.isDone()
            && rootKey != null
            && rootKey.equals(armedRootKey)
            && wantedExtras.equals(armedExtras);
    if (healthy || closed) {
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
      events.add(Kind.REARM, null, System.nanoTime());
      requestCheck(debounceNanos);
    }
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
    synchronized (lifecycle) {
      if (closed) {
        closeQuietly(w);
        return false;
      }
      watcher = w;
      done = w.watchAsync(watcherThread);
    }
    if (done.isCompletedExceptionally()) {
      synchronized (lifecycle) {
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
    armedRootReal = realOrSelf(watchRoot);
    LOG.debug(
        "hotconf {}: watching {}{}", name, watchRoot, extras.isEmpty() ? "" : " and " + extras);
    done.whenComplete(
        (v, t) -> {
          if (!closed) {
            try {
              scheduler.execute(() -> guarded(() -> ensureArmed(true)));
            } catch (RejectedExecutionException ignored) {
              // closing
            }
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
    synchronized (lifecycle) {
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

  /**
   * A real path under the watched folder, spelled the way the watcher spells event paths (through
   * the folder as given, which may itself sit behind a symbolic link).
   */
  private Path inWatchSpace(Path real) {
    Path rootReal = armedRootReal;
    if (rootReal != null && !rootReal.equals(watchRoot) && real.startsWith(rootReal)) {
      return watchRoot.resolve(rootReal.relativize(real));
    }
    return real;
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException | RuntimeException e) {
      return p;
    }
  }

  // ---- checks ----

  /** Makes sure a check runs within {@code delayNanos}. Any thread. */
  private void requestCheck(long delayNanos) {
    if (closed) {
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
      try {
        pendingCheck = scheduler.schedule(this::runCheck, delayNanos, TimeUnit.NANOSECONDS);
        pendingDue = due;
      } catch (RejectedExecutionException | NullPointerException e) {
        pendingCheck = null; // closing, or not started
      }
    }
  }

  private void runCheck() {
    synchronized (checkLock) {
      pendingCheck = null;
    }
    guarded(this::check);
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
              exists ? inWatchSpace(realOrSelf(given)) : null,
              lastReal.get(n),
              exists));
    }
    return out;
  }

  /**
   * Reads and delivers if the outcome changed. {@code burst} (null at start) is consumed when the
   * read covers it. Returns false when a fast read was not safe (the caller falls back).
   */
  /**
   * The periodic safety rescan. When no events are pending it reads at once (delivering only if the
   * content changed), so it never holds a burst back: routing it through the event log made any
   * rename landing just after it wait the full quiet period. A file that changes while it is read
   * falls back to a RESCAN event and the quiet period.
   */
  private void rescan() {
    if (events.pending() != null) {
      return; // a check is already due and reads everything
    }
    Listing listing = readListing();
    if (!listing.stable() || events.pending() != null) {
      events.add(Kind.RESCAN, null, System.nanoTime());
      requestCheck(debounceNanos);
      return;
    }
    deliver(listing);
    rememberRealPaths(listing);
  }

  private Listing readListing() {
    int maxBytes = config.parseLimits().maxDocumentBytes();
    if (directoryMode) {
      return Observer.readFolder(path, format, maxBytes);
    }
    SortedMap<String, Result> one = new TreeMap<>();
    one.put(path.getFileName().toString(), Observer.readFile(path, maxBytes));
    return new Listing(null, one);
  }

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
    deliver(listing);
    rememberRealPaths(listing);
    return true;
  }

  private void rememberRealPaths(Listing listing) {
    if (listing.fragments().values().stream().noneMatch(r -> r instanceof Content)) {
      return; // nothing readable now (missing, failing): keep what we knew, and the watches
    }
    lastReal.clear();
    Set<Path> extras = new LinkedHashSet<>();
    Path rootReal = armedRootReal != null ? armedRootReal : realOrSelf(watchRoot);
    listing
        .fragments()
        .forEach(
            (n, r) -> {
              if (r instanceof Content c) {
                Path real = c.identity().real();
                lastReal.put(n, inWatchSpace(real));
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
    if (!extras.equals(wantedExtras)) {
      wantedExtras = Set.copyOf(extras);
      ensureArmed(true);
    }
  }

  // ---- delivering ----

  private void deliver(Listing listing) {
    String outcome = outcomeKey(listing);
    if (outcome.equals(lastOutcome)) {
      LOG.debug("hotconf {}: unchanged", name);
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "hotconf {}: delivering {}",
          name,
          outcome.length() > 40 ? outcome.substring(0, 40) : outcome);
    }
    lastOutcome = outcome;
    try {
      if (listing.folder() instanceof Missing m) {
        listener.onMissing(m.reason());
      } else if (listing.folder() instanceof Failed f) {
        listener.onFailure(new ConfigException(Problem.at(origin(path), f.message())));
      } else if (!directoryMode) {
        deliverFile(listing.fragments().values().iterator().next());
      } else {
        deliverFolder(listing.fragments());
      }
    } catch (RuntimeException e) {
      LOG.error("hotconf {}: the listener threw; ignored", name, e);
    }
  }

  private void deliverFile(Result r) {
    if (r instanceof Missing m) {
      listener.onMissing(m.reason());
    } else if (r instanceof Failed f) {
      listener.onFailure(new ConfigException(Problem.at(origin(path), f.message())));
    } else {
      Parsed p = parse(path.getFileName().toString(), path, format, (Content) r);
      parsed = Map.of(path.getFileName().toString(), p);
      if (p.error() != null) {
        listener.onFailure(p.error());
      } else {
        listener.onContent(p.content());
      }
    }
  }

  private void deliverFolder(SortedMap<String, Result> fragments) {
    Map<String, Parsed> nowParsed = new HashMap<>();
    List<Problem> problems = new ArrayList<>();
    ConfigObject merged = ConfigObject.empty(origin(path));
    for (Map.Entry<String, Result> e : fragments.entrySet()) {
      Path fragment = path.resolve(e.getKey());
      if (e.getValue() instanceof Failed f) {
        problems.add(Problem.at(origin(fragment), f.message()));
      } else if (e.getValue() instanceof Content c) {
        ConfigFormat fmt = FragmentNames.fragmentFormat(e.getKey(), format).orElseThrow();
        Parsed p = parse(e.getKey(), fragment, fmt, c);
        nowParsed.put(e.getKey(), p);
        if (p.error() != null) {
          problems.addAll(p.error().problems());
        } else {
          merged = Trees.merge(merged, p.content());
        }
      }
    }
    parsed = nowParsed;
    if (!problems.isEmpty()) {
      listener.onFailure(new ConfigException(problems));
    } else {
      listener.onContent(merged);
    }
  }

  /** Parses, reusing the previous result for unchanged bytes. */
  private Parsed parse(String key, Path location, ConfigFormat fmt, Content c) {
    Parsed previous = parsed.get(key);
    if (previous != null && previous.sha256().equals(c.sha256())) {
      return previous;
    }
    try {
      return new Parsed(
          c.sha256(),
          fmt.parse(c.bytes(), origin(location), config.parseLimits(), listener.redactor()),
          null);
    } catch (ConfigException e) {
      return new Parsed(c.sha256(), null, e);
    } catch (RuntimeException e) {
      return new Parsed(
          c.sha256(),
          null,
          new ConfigException(
              Problem.at(origin(location), "cannot parse: " + e.getClass().getSimpleName())));
    }
  }

  private static ConfigOrigin origin(Path p) {
    return ConfigOrigin.of(ORIGIN_SOURCE, p.toString());
  }

  private static String outcomeKey(Listing listing) {
    if (listing.folder() instanceof Missing m) {
      return "M:" + m.reason();
    }
    if (listing.folder() instanceof Failed f) {
      return "F:" + f.message();
    }
    StringBuilder sb = new StringBuilder("L");
    listing
        .fragments()
        .forEach(
            (n, r) -> {
              sb.append('\u0000').append(n).append('=');
              if (r instanceof Content c) {
                sb.append("C:").append(c.sha256());
              } else if (r instanceof Missing m) {
                sb.append("M:").append(m.reason());
              } else {
                sb.append("F:").append(((Failed) r).message());
              }
            });
    return sb.toString();
  }
}
