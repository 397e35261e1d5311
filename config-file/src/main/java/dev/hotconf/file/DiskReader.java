package dev.hotconf.file;

import dev.hotconf.parse.ConfigFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: opening a file is the one step that can block for good. The type is checked on the
 * path, then the path is opened, and whatever sits at the path by then is what open() gets: a FIFO
 * renamed over the file in between makes open() wait for a writer, forever. Java cannot open
 * without blocking (no O_NONBLOCK), so the open runs on a short-lived opener thread and the caller
 * waits for it at most `openWait`. While it waits it looks at the path every few milliseconds:
 * if a FIFO is there, it opens that FIFO read-write and closes it again, which counts as a writer
 * and lets the blocked open return (Linux and macOS; needs write permission on the FIFO). An open
 * that does not finish in time is abandoned: the read fails with a clear message, the opener
 * thread closes the file if the open ever returns, and a later read or close() retries releasing
 * it. The type is then verified on the opened file itself: a seek on it (FileChannel.position())
 * fails for a FIFO or a socket, and the stability check compares the file key, size and mtime
 * before and after reading.
 */

/**
 * Reads what is on disk now: one file, or the fragments of a folder. Never throws for I/O: every
 * outcome is a {@link Result}. Never blocks for longer than its open wait on a FIFO or another file
 * whose open does not return (see the comment above the class). Thread-safe; {@link #close()} ends
 * the opener threads. Never logs content.
 */
final class DiskReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  private static final int READ_ATTEMPTS = 3;

  /** How long a read waits for a file to open before it gives up on it. */
  static final Duration OPEN_WAIT = Duration.ofSeconds(2);

  /** How often a waiting read looks whether a FIFO sits at the path (and releases it). */
  static final Duration RELEASE_POLL = Duration.ofMillis(10);

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private final long openWaitNanos;
  private final long releasePollNanos;
  private final ThreadPoolExecutor openers;
  private final Set<PendingOpen> abandoned = ConcurrentHashMap.newKeySet();
  private final AtomicLong openTimeouts = new AtomicLong();
  private final AtomicLong fifoReleases = new AtomicLong();

  DiskReader(String threadLabel) {
    this(threadLabel, OPEN_WAIT, RELEASE_POLL);
  }

  DiskReader(String threadLabel, Duration openWait, Duration releasePoll) {
    this.openWaitNanos = openWait.toNanos();
    this.releasePollNanos = releasePoll.toNanos();
    AtomicInteger n = new AtomicInteger();
    this.openers =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            0,
            TimeUnit.NANOSECONDS, // an opener thread ends with its open
            new SynchronousQueue<>(),
            r -> {
              Thread t =
                  new Thread(r, "hotconf-file-opener-" + threadLabel + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The file behind a path: real path, {@code fileKey} (inode), size and mtime. */
  record Identity(Path real, Object fileKey, long size, FileTime modified) {
    static Identity of(Path real, BasicFileAttributes a) {
      return new Identity(real, a.fileKey(), a.size(), a.lastModifiedTime());
    }
  }

  /** The outcome of reading one path. */
  sealed interface Result permits Content, Missing, Failed {}

  /**
   * Bytes read. {@code stable}: size, mtime and file key were the same before and after reading and
   * match the bytes read (no writer was caught in the act).
   */
  record Content(byte[] bytes, String sha256, Identity identity, boolean stable)
      implements Result {}

  record Missing(String reason) implements Result {}

  record Failed(String message) implements Result {}

  /** A folder's fragments by name, in lexical order; or why the folder itself could not be read. */
  record Listing(Result folder, SortedMap<String, Result> fragments) {
    boolean stable() {
      return fragments.values().stream().allMatch(r -> !(r instanceof Content c) || c.stable());
    }
  }

  /** Reads {@code path} (following symbolic links), retrying a few times if a writer is active. */
  Result readFile(Path path, int maxBytes) {
    releaseAbandoned();
    Result r = readOnce(path, maxBytes);
    for (int i = 1; i < READ_ATTEMPTS && r instanceof Content c && !c.stable(); i++) {
      Thread.onSpinWait();
      r = readOnce(path, maxBytes);
    }
    return r;
  }

  private Result readOnce(Path path, int maxBytes) {
    try {
      if (!Files.exists(path)) {
        return missing(path);
      }
      Path real = path.toRealPath();
      BasicFileAttributes before = Files.readAttributes(real, BasicFileAttributes.class);
      if (before.isDirectory()) {
        return new Failed("is a directory, expected a file");
      }
      if (!before.isRegularFile()) {
        return new Failed(notRegular(real));
      }
      if (before.size() > maxBytes) {
        return new Failed(tooLarge(before.size(), maxBytes));
      }
      byte[] bytes;
      try (FileChannel channel = open(real)) {
        if (channel == null) {
          return new Failed(
              "cannot read: opening the file did not finish within "
                  + TimeUnit.NANOSECONDS.toMillis(openWaitNanos)
                  + " ms (is it a FIFO or a device? expected a regular file)");
        }
        try {
          channel.position(); // a seek: fails on the opened file if it is a FIFO or a socket
        } catch (IOException e) {
          return new Failed(notRegular(real));
        }
        bytes = Channels.newInputStream(channel).readNBytes(maxBytes + 1);
      }
      if (bytes.length > maxBytes) {
        return new Failed(tooLarge(bytes.length, maxBytes));
      }
      BasicFileAttributes after = Files.readAttributes(real, BasicFileAttributes.class);
      boolean stable =
          after.isRegularFile()
              && Objects.equals(before.fileKey(), after.fileKey())
              && before.size() == after.size()
              && before.lastModifiedTime().equals(after.lastModifiedTime())
              && bytes.length == after.size();
      return new Content(bytes, sha256(bytes), Identity.of(real, after), stable);
    } catch (NoSuchFileException e) {
      return missing(path); // deleted while we looked
    } catch (AccessDeniedException e) {
      return new Failed("permission denied: cannot read the file (check its owner and mode)");
    } catch (FileSystemLoopException e) {
      return new Failed("symbolic link loop");
    } catch (FileSystemException e) {
      return new Failed(
          "cannot read: " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
    } catch (IOException e) {
      return new Failed("cannot read: " + e.getClass().getSimpleName());
    } catch (SecurityException e) {
      return new Failed("cannot read: access denied by the security manager");
    }
  }

  /**
   * Opens {@code real} for reading on an opener thread and waits at most the open wait; null when
   * the open did not finish in time (it is abandoned, see the class comment).
   */
  FileChannel open(Path real) throws IOException {
    PendingOpen pending = new PendingOpen(real);
    try {
      openers.execute(pending);
    } catch (RejectedExecutionException e) {
      throw new IOException("the source is closing");
    }
    long deadline = System.nanoTime() + openWaitNanos;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (pending.await(Math.min(Math.max(left, 0), releasePollNanos))) {
          return pending.channel();
        }
        releaseIfFifo(real);
        if (deadline - System.nanoTime() <= 0) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!abandon(pending)) {
        PendingOpen.closeQuietly(pending.channelOrNull());
      }
      throw new InterruptedIOException("interrupted while opening");
    }
    if (!abandon(pending)) {
      return pending.channel(); // it finished just now
    }
    openTimeouts.incrementAndGet();
    LOG.warn(
        "hotconf file source: opening {} did not finish within {} ms; gave up on it (a FIFO or a"
            + " device where a regular file was expected?)",
        real,
        TimeUnit.NANOSECONDS.toMillis(openWaitNanos));
    return null;
  }

  /** Gives up on {@code pending} unless it finished; true if it was given up (still blocked). */
  private boolean abandon(PendingOpen pending) {
    if (pending.abandonUnlessDone()) {
      abandoned.add(pending);
      return true;
    }
    return false;
  }

  /** Releases abandoned opens still blocked on a FIFO that is still at their path. */
  private void releaseAbandoned() {
    for (PendingOpen p : abandoned) {
      if (p.finished()) {
        abandoned.remove(p);
      } else {
        releaseIfFifo(p.path);
      }
    }
  }

  /**
   * If a FIFO is at {@code path}, opens it read-write and closes it: that counts as a writer, so an
   * open blocked on it for reading returns (an O_RDWR open of a FIFO does not block on Linux and
   * macOS). Does nothing when the type cannot be told (no {@code unix} attribute view) or the FIFO
   * is not writable.
   */
  private void releaseIfFifo(Path path) {
    try {
      if (!isFifo(path)) {
        return;
      }
      FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      fifoReleases.incrementAndGet();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // gone, not writable, or the type cannot be told: the bounded wait still applies
    }
  }

  /** Number of opens given up on after the open wait (for tests). */
  long openTimeouts() {
    return openTimeouts.get();
  }

  /** Number of times a FIFO at a path being opened was opened read-write to release the open. */
  long fifoReleases() {
    return fifoReleases.get();
  }

  /** Opens given up on whose open has not returned yet (threads parked in open()). */
  int blockedOpeners() {
    abandoned.removeIf(PendingOpen::finished);
    return abandoned.size();
  }

  /** Stops the opener threads; first releases the ones blocked on a FIFO. Idempotent. */
  @Override
  public void close() {
    releaseAbandoned();
    openers.shutdown();
  }

  /** One open on an opener thread, handed over to the reader unless it was abandoned. */
  private static final class PendingOpen implements Runnable {
    final Path path;
    private FileChannel channel;
    private IOException error;
    private boolean done;
    private boolean abandoned;

    PendingOpen(Path path) {
      this.path = path;
    }

    @Override
    public void run() {
      FileChannel opened = null;
      IOException failed = null;
      try {
        opened = FileChannel.open(path, StandardOpenOption.READ);
      } catch (IOException e) {
        failed = e;
      } catch (RuntimeException e) {
        failed = new IOException(e.getClass().getSimpleName());
      }
      synchronized (this) {
        done = true;
        if (abandoned) {
          closeQuietly(opened);
        } else {
          channel = opened;
          error = failed;
        }
        notifyAll();
      }
    }

    /** Waits up to {@code nanos} for the open; true when it finished. */
    synchronized boolean await(long nanos) throws InterruptedException {
      long deadline = System.nanoTime() + nanos;
      while (!done) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }

    /** The opened channel; throws the open's error. Only after {@link #await} returned true. */
    synchronized FileChannel channel() throws IOException {
      if (error != null) {
        throw error;
      }
      return channel;
    }

    /**
     * Gives up on this open unless it finished; true if it is still blocked (its thread closes what
     * it opens later).
     */
    synchronized boolean abandonUnlessDone() {
      if (done) {
        return false;
      }
      abandoned = true;
      return true;
    }

    synchronized FileChannel channelOrNull() {
      return channel;
    }

    synchronized boolean finished() {
      return done;
    }

    static void closeQuietly(FileChannel c) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // nothing was read from it
        }
      }
    }
  }

  private static String notRegular(Path real) {
    return isFifo(real)
        ? "is a FIFO (named pipe), expected a regular file"
        : "is not a regular file";
  }

  /** Whether a FIFO is at {@code path} now; false when the type cannot be told. */
  private static boolean isFifo(Path path) {
    try {
      return Files.getAttribute(path, "unix:mode") instanceof Integer m && (m & S_IFMT) == S_IFIFO;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Missing missing(Path path) {
    if (Files.isSymbolicLink(path)) {
      return new Missing("symbolic link to a missing file");
    }
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return new Missing("folder " + parent + " does not exist");
    }
    return new Missing("file not found");
  }

  private static String tooLarge(long size, int maxBytes) {
    return "file is "
        + size
        + " bytes, above the limit of "
        + maxBytes
        + " bytes (ParseLimits.maxDocumentBytes)";
  }

  /** Lists and reads the fragments of {@code folder}. */
  Listing readFolder(Path folder, ConfigFormat forced, int maxBytes) {
    if (!Files.exists(folder)) {
      return new Listing(new Missing("folder not found"), Collections.emptySortedMap());
    }
    if (!Files.isDirectory(folder)) {
      return new Listing(new Failed("is not a directory"), Collections.emptySortedMap());
    }
    SortedMap<String, Result> fragments = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (FragmentNames.fragmentFormat(name, forced).isEmpty()
            || Files.isDirectory(entry)
            || !Files.exists(entry)) {
          continue; // not a fragment, a sub-folder, or a dangling link
        }
        Result r = readFile(entry, maxBytes);
        if (!(r instanceof Missing)) {
          fragments.put(name, r); // a fragment deleted while listing is simply gone
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new Listing(new Missing("folder not found"), Collections.emptySortedMap());
    } catch (AccessDeniedException e) {
      return new Listing(
          new Failed("permission denied: cannot list the folder"), Collections.emptySortedMap());
    } catch (IOException | java.io.UncheckedIOException e) {
      return new Listing(
          new Failed("cannot list the folder: " + e.getClass().getSimpleName()),
          Collections.emptySortedMap());
    }
    return new Listing(null, fragments);
  }

  /** The file key (inode) of a folder, or null if it is not a folder now. */
  static Object folderKey(Path folder) {
    try {
      BasicFileAttributes a = Files.readAttributes(folder, BasicFileAttributes.class);
      return a.isDirectory() ? (a.fileKey() != null ? a.fileKey() : a.creationTime()) : null;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** {@code p}'s real path, or {@code p} itself when it cannot be resolved now. */
  static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException | RuntimeException e) {
      return p;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
