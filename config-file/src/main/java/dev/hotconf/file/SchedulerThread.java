package dev.hotconf.file;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a {@link FileSource} on which everything but the watcher's event loop runs:
 * timing, reading, comparing, delivering, arming the watcher. Their state therefore needs no locks.
 * Every task is guarded: one that throws is logged and the source keeps watching; after {@link
 * #close()} tasks are dropped. Thread-safe: any thread may submit.
 */
final class SchedulerThread {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  private final String sourceName;
  private final String threadName;
  private final ScheduledThreadPoolExecutor executor;
  private volatile boolean closed;

  SchedulerThread(String sourceName, String threadName) {
    this.sourceName = sourceName;
    this.threadName = threadName;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  boolean closed() {
    return closed;
  }

  /** Runs {@code task} soon; dropped when closing. */
  void execute(Runnable task) {
    try {
      executor.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Runs {@code task} after {@code delayNanos}; null when closing. */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return executor.schedule(() -> guarded(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Runs {@code task} every {@code periodNanos}, the first time one period from now. */
  void every(Runnable task, long periodNanos) {
    try {
      executor.scheduleWithFixedDelay(
          () -> guarded(task), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Whether the calling thread is this one. */
  boolean isCurrent() {
    return Thread.currentThread().getName().equals(threadName);
  }

  /** Drops pending tasks and interrupts a running one. Idempotent. */
  void close() {
    closed = true;
    executor.shutdownNow();
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return executor.awaitTermination(timeout, unit);
  }

  private void guarded(Runnable r) {
    if (closed) {
      return;
    }
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      LOG.error("hotconf {}: unexpected error; the source keeps watching", sourceName, e);
    }
  }
}
