package dev.hotconf;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to one listener in the order offered, one at a time, on a shared executor. A
 * listener that throws is logged and keeps receiving later events; it never delays other listeners
 * beyond sharing the executor's threads.
 */
final class SerialListener<E> implements Registration {
  private static final Logger LOG = LoggerFactory.getLogger(HotConfig.class);

  private final Consumer<E> listener;
  private final Object identity;
  private final Executor executor;
  private final Runnable onClose;
  private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  SerialListener(Object identity, Consumer<E> listener, Executor executor, Runnable onClose) {
    this.identity = identity;
    this.listener = listener;
    this.executor = executor;
    this.onClose = onClose;
  }

  void offer(E event) {
    if (closed) {
      return;
    }
    queue.add(event);
    schedule();
  }

  private void schedule() {
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false);
        queue.clear();
      }
    }
  }

  private void drain() {
    try {
      E event;
      while (!closed && (event = queue.poll()) != null) {
        try {
          listener.accept(event);
        } catch (Throwable t) {
          LOG.warn(
              "hotconf listener {} threw {}; other listeners are unaffected",
              identity.getClass().getName(),
              t.toString(),
              t);
        }
      }
    } finally {
      draining.set(false);
    }
    schedule();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      onClose.run();
    }
  }
}
