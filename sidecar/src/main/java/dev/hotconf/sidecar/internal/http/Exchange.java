package dev.hotconf.sidecar.internal.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its answer. {@link #respond} may be called from any thread, once (later calls,
 * and calls after the client has gone, are ignored). {@link #park} and the callbacks it takes run
 * on the server thread.
 */
public final class Exchange {
  private final Connection connection;
  private final RequestHead request;
  private final AtomicBoolean answered = new AtomicBoolean();
  // server thread only
  private boolean parked;
  private Runnable onTimeout;
  private Runnable onGone;

  Exchange(Connection connection, RequestHead request) {
    this.connection = connection;
    this.request = request;
  }

  public RequestHead request() {
    return request;
  }

  /**
   * The address of the client's end of the connection; null only if the socket was closed before it
   * could be read.
   */
  public InetAddress peer() {
    return connection.peer();
  }

  /** Answers; any thread; only the first answer counts. */
  public void respond(Response response) {
    if (answered.compareAndSet(false, true)) {
      connection.server().onServerThread(() -> connection.send(this, response));
    }
  }

  /**
   * Computes the answer on the server's worker pool (for work that may take a while: rendering,
   * locks). A {@link Throwable} from {@code work} is answered with 500; a full pool with 503 and
   * {@code Retry-After: 1}.
   */
  public void respondLater(Callable<Response> work) {
    connection.server().submit(this, work);
  }

  /**
   * Waits without holding a thread: until someone calls {@link #respond}, until {@code wait} has
   * passed (then {@code onTimeout} runs on the server thread and must respond), or until the client
   * goes away or the server stops (then {@code onGone} runs on the server thread: forget this
   * exchange; a stopping server answers 503 itself). Server thread only (from the handler, or a
   * task given to {@link NioHttpServer#execute}).
   */
  public void park(Duration wait, Runnable onTimeout, Runnable onGone) {
    connection.server().checkServerThread();
    this.parked = true;
    this.onTimeout = onTimeout;
    this.onGone = onGone;
    connection.park(this, wait);
  }

  public boolean isAnswered() {
    return answered.get();
  }

  boolean parked() {
    return parked && !answered.get();
  }

  /** The wait has passed: lets the owner answer. */
  void timeout() {
    parked = false;
    if (!answered.get()) {
      onTimeout.run();
    }
  }

  /** The client went away: nobody can be answered any more. True when it was still unanswered. */
  boolean gone() {
    boolean wasParked = parked;
    parked = false;
    if (answered.compareAndSet(false, true)) {
      if (wasParked && onGone != null) {
        onGone.run();
      }
      return true;
    }
    return false;
  }

  /** The server stops: the owner forgets this exchange, then it is answered with {@code last}. */
  void stopping(Response last) {
    boolean wasParked = parked;
    parked = false;
    if (answered.compareAndSet(false, true)) {
      if (wasParked && onGone != null) {
        onGone.run();
      }
      connection.send(this, last);
    }
  }
}
