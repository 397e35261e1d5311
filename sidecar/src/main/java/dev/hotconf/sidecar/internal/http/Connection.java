package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/*
 * Design: one connection's protocol state machine, driven only by the server thread.
 *
 *   READ_HEAD -> (READ_BODY) -> PROCESS -> WRITE -> READ_HEAD (keep-alive) or LINGER -> closed
 *
 * READ_HEAD: bytes are parsed as they arrive (RequestHeadParser); a new or kept-alive connection
 * with no byte of a request is "idle" (evictable at the connection cap, closed silently after the
 * request or idle timeout); from a request's first byte the request timeout runs (408 when it
 * passes). READ_BODY: the body is read and discarded (BodyReader). PROCESS: the handler has the
 * exchange; no further request is parsed (pipelined bytes wait in the buffer, at most
 * maxHeaderBytes + maxBodyBytes + 4 KiB; reading continues so that a client going away is seen at
 * once: a parked exchange whose client closes or half-closes is dropped). WRITE: the answer is
 * written without blocking; a client that takes none of it for sendTimeout is disconnected. An
 * answer that closes the connection (errors, Connection: close, HTTP/1.0, a stopping server) is
 * followed by LINGER: output shut down (FIN), input read and discarded for up to lingerTimeout so
 * that the client reads the answer instead of a reset.
 */
final class Connection {
  enum State {
    READ_HEAD,
    READ_BODY,
    PROCESS,
    WRITE,
    LINGER,
    CLOSED
  }

  private static final byte[] NO_BYTES = new byte[0];
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_CHUNK_FRAMING = 4096;
  private static final int MAX_WRITE_BATCH = 8;
  private static final int MAX_WRITE_BYTES = 256 * 1024;
  private static final int MAX_LINGER_BYTES = 1 << 20;

  private final NioHttpServer server;
  private final HttpServerConfig config;
  private final SocketChannel channel;
  private final InetAddress peer;
  private final Transport transport;
  private final int maxBuffered;
  private SelectionKey key;

  private State state = State.READ_HEAD;
  private byte[] in = NO_BYTES;
  private int inStart;
  private int inEnd;
  private RequestHeadParser parser;
  private RequestHead head;
  private BodyReader body;
  private Exchange exchange;
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private final ByteBuffer[] batch = new ByteBuffer[MAX_WRITE_BATCH];
  private boolean closeAfterWrite;
  private boolean inputClosed;
  private boolean requestStarted;
  private boolean inProcess;
  private long lastProgress;
  private int lingered;

  // the server's timer bookkeeping (server thread)
  long deadline;
  int timerGeneration;

  Connection(NioHttpServer server, SocketChannel channel, Transport transport) {
    this.server = server;
    this.config = server.config();
    this.channel = channel;
    this.peer = peerOf(channel);
    this.transport = transport;
    this.maxBuffered = config.maxHeaderBytes() + config.maxBodyBytes() + MAX_CHUNK_FRAMING;
    this.parser = new RequestHeadParser(config);
  }

  NioHttpServer server() {
    return server;
  }

  /** The client's address, as accepted; null if the socket could not tell (already closed). */
  InetAddress peer() {
    return peer;
  }

  private static InetAddress peerOf(SocketChannel channel) {
    try {
      return channel.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    } catch (IOException e) {
      return null;
    }
  }

  State state() {
    return state;
  }

  /** Registered and counted: waits for its first request. */
  void opened(SelectionKey key, long now) {
    this.key = key;
    server.markIdle(this);
    server.schedule(this, now + config.requestTimeout().toNanos());
  }

  /** Idle: open, with no byte of a request received and nothing to answer. */
  boolean idle() {
    return state == State.READ_HEAD && !requestStarted && inEnd == inStart;
  }

  // ---- events from the selector ----

  void onReadable() throws IOException {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.LINGER) {
      drainWhileLingering();
      return;
    }
    boolean eof = false;
    boolean more = true;
    while (more && !eof) {
      more = false;
      while (true) {
        int room = maxBuffered - (inEnd - inStart);
        if (room <= 0) {
          break;
        }
        ByteBuffer scratch = server.readScratch();
        scratch.clear().limit(Math.min(scratch.capacity(), room));
        int n = transport.read(scratch);
        if (n < 0) {
          eof = true;
          break;
        }
        if (n == 0) {
          break;
        }
        append(scratch.array(), n);
        more = true;
      }
      process();
      // TLS may hold decrypted bytes there was no room for: no selector event will bring them
      more &=
          (state == State.READ_HEAD || state == State.READ_BODY)
              && transport instanceof TlsTransport tls
              && tls.hasBufferedInput();
    }
    if (eof) {
      onEof();
    }
    updateInterest();
  }

  void onWritable() throws IOException {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.LINGER) {
      if (transport.shutdownOutput()) {
        if (inputClosed) {
          close();
          return;
        }
      }
      updateInterest();
      return;
    }
    writeOut();
    if (state == State.READ_HEAD || state == State.READ_BODY) {
      onReadable(); // a TLS handshake may continue now that its bytes are out
    } else {
      updateInterest();
    }
  }

  void onTimer(long now) {
    switch (state) {
      case READ_HEAD -> {
        if (requestStarted || parser.started()) {
          refuse(408, "request not received in time");
        } else {
          close();
        }
      }
      case READ_BODY -> refuse(408, "request not received in time");
      case PROCESS -> {
        if (exchange != null && exchange.parked()) {
          exchange.timeout();
        }
      }
      case WRITE -> {
        long limit = config.sendTimeout().toNanos();
        if (now - lastProgress >= limit) {
          close();
        } else {
          server.schedule(this, lastProgress + limit);
        }
      }
      case LINGER -> close();
      default -> {
        // closed
      }
    }
  }

  // ---- reading requests ----

  private void append(byte[] src, int n) {
    int buffered = inEnd - inStart;
    if (in.length - inEnd < n) {
      byte[] target = in;
      if (in.length < buffered + n) {
        target =
            new byte[Math.min(maxBuffered, Math.max(buffered + n, Math.max(1024, in.length * 2)))];
      }
      System.arraycopy(in, inStart, target, 0, buffered);
      in = target;
      inStart = 0;
      inEnd = buffered;
    }
    System.arraycopy(src, 0, in, inEnd, n);
    inEnd += n;
  }

  private void process() {
    if (inProcess) {
      return;
    }
    inProcess = true;
    try {
      while (state == State.READ_HEAD || state == State.READ_BODY) {
        if (state == State.READ_HEAD) {
          if (inEnd == inStart) {
            return;
          }
          if (!requestStarted) {
            requestStarted = true;
            server.unmarkIdle(this);
            server.schedule(this, System.nanoTime() + config.requestTimeout().toNanos());
          }
          RequestHead h;
          try {
            h = parser.parse(in, inStart, inEnd);
          } catch (HttpError e) {
            refuse(e.status(), e.getMessage());
            return;
          }
          if (h == null) {
            return;
          }
          inStart += parser.consumed();
          head = h;
          if (!h.hasBody()) {
            dispatch();
          } else if (!h.chunked() && h.contentLength() > config.maxBodyBytes()) {
            refuse(413, "request body too large");
            return;
          } else {
            body =
                h.chunked()
                    ? BodyReader.chunked(config.maxBodyBytes(), MAX_CHUNK_FRAMING)
                    : BodyReader.fixed(h.contentLength());
            state = State.READ_BODY;
            if (h.expectContinue() && inEnd == inStart) {
              out.add(ByteBuffer.wrap(CONTINUE));
              writeOut();
            }
          }
        } else {
          try {
            inStart += body.read(in, inStart, inEnd);
          } catch (HttpError e) {
            refuse(e.status(), e.getMessage());
            return;
          }
          if (!body.done()) {
            return;
          }
          dispatch();
        }
      }
    } finally {
      inProcess = false;
      if (inStart == inEnd) {
        in = NO_BYTES; // an idle connection holds no buffer
        inStart = 0;
        inEnd = 0;
      }
    }
  }

  private void dispatch() {
    state = State.PROCESS;
    server.cancelTimer(this);
    body = null;
    exchange = new Exchange(this, head);
    server.dispatch(exchange);
  }

  private void onEof() {
    inputClosed = true;
    switch (state) {
      case READ_HEAD, READ_BODY, LINGER -> close(); // nobody waits for an answer
      case PROCESS -> {
        if (exchange != null && exchange.parked()) {
          close(); // a long poll whose client has gone
        }
      }
      case WRITE -> closeAfterWrite = true;
      default -> {
        // closed
      }
    }
  }

  // ---- answering ----

  /** Parks the current exchange until {@code wait} passes. */
  void park(Exchange ex, Duration wait) {
    if (ex == exchange && state == State.PROCESS) {
      long nanos = Math.min(wait.toNanos(), Duration.ofDays(1).toNanos());
      server.schedule(this, System.nanoTime() + nanos);
    }
  }

  /** Sends the answer to {@code ex} if it is still this connection's current exchange. */
  void send(Exchange ex, Response r) {
    if (state != State.PROCESS || ex != exchange) {
      return;
    }
    server.cancelTimer(this);
    queue(r, head.isHead(), head.keepAlive());
  }

  /** A protocol-level refusal: answered, then the connection is closed. */
  private void refuse(int status, String message) {
    if (state == State.CLOSED) {
      return;
    }
    server.cancelTimer(this);
    server.unmarkIdle(this);
    in = NO_BYTES;
    inStart = 0;
    inEnd = 0;
    head = null;
    body = null;
    state = State.PROCESS;
    queue(Response.error(status, message), false, false);
  }

  private void queue(Response r, boolean headOnly, boolean requestKeepAlive) {
    boolean keepAlive = requestKeepAlive && !r.closes() && !inputClosed && !server.stopping();
    closeAfterWrite = !keepAlive;
    out.add(r.head(keepAlive, server.date()));
    if (!headOnly && r.hasContent() && r.body().length > 0) {
      out.add(ByteBuffer.wrap(r.body()));
    }
    state = State.WRITE;
    lastProgress = System.nanoTime();
    writeOut();
    updateInterest();
  }

  /** Writes what it can; moves on once the answer is out. */
  private void writeOut() {
    boolean done;
    try {
      done = flush();
    } catch (IOException e) {
      close();
      return;
    }
    if (!done) {
      if (state == State.WRITE && !server.hasTimer(this)) {
        server.schedule(this, lastProgress + config.sendTimeout().toNanos());
      }
      return;
    }
    if (state == State.WRITE) {
      afterAnswer();
    }
  }

  private boolean flush() throws IOException {
    while (true) {
      if (!transport.flush()) {
        return false;
      }
      while (!out.isEmpty() && !out.peek().hasRemaining()) {
        out.poll();
      }
      if (out.isEmpty()) {
        return true;
      }
      int count = 0;
      int budget = MAX_WRITE_BYTES;
      for (ByteBuffer b : out) {
        if (count == MAX_WRITE_BATCH || budget == 0) {
          break;
        }
        ByteBuffer view = b.duplicate();
        int take = Math.min(view.remaining(), budget);
        view.limit(view.position() + take);
        batch[count++] = view;
        budget -= take;
      }
      long written =
          transport.write(count == MAX_WRITE_BATCH ? batch : Arrays.copyOf(batch, count));
      Arrays.fill(batch, null);
      if (written > 0) {
        lastProgress = System.nanoTime();
      }
      long left = written;
      while (left > 0) {
        ByteBuffer b = out.peek();
        int k = (int) Math.min(left, b.remaining());
        b.position(b.position() + k);
        left -= k;
        if (!b.hasRemaining()) {
          out.poll();
        }
      }
      if (written == 0) {
        return !transport.wantsWrite() && out.isEmpty();
      }
    }
  }

  private void afterAnswer() {
    server.cancelTimer(this);
    exchange = null;
    head = null;
    if (closeAfterWrite) {
      linger();
      return;
    }
    state = State.READ_HEAD;
    parser = new RequestHeadParser(config);
    requestStarted = false;
    if (inEnd > inStart) {
      process(); // a pipelined request (no-op when called from within process(), which goes on)
    } else {
      in = NO_BYTES;
      inStart = 0;
      inEnd = 0;
      server.markIdle(this);
      server.schedule(this, System.nanoTime() + config.idleTimeout().toNanos());
      if (transport instanceof TlsTransport tls && tls.hasBufferedInput() && !inProcess) {
        try {
          onReadable();
        } catch (IOException e) {
          close();
        }
      }
    }
  }

  private void linger() {
    state = State.LINGER;
    in = NO_BYTES;
    inStart = 0;
    inEnd = 0;
    server.schedule(this, System.nanoTime() + config.lingerTimeout().toNanos());
    try {
      if (transport.shutdownOutput() && inputClosed) {
        close();
        return;
      }
    } catch (IOException e) {
      close();
      return;
    }
    updateInterest();
  }

  private void drainWhileLingering() throws IOException {
    ByteBuffer scratch = server.readScratch();
    while (true) {
      scratch.clear();
      int n = transport.read(scratch);
      if (n < 0 || (lingered += Math.max(0, n)) > MAX_LINGER_BYTES) {
        close();
        return;
      }
      if (n == 0) {
        return;
      }
    }
  }

  // ---- interest and closing ----

  private void updateInterest() {
    if (state == State.CLOSED || key == null || !key.isValid()) {
      return;
    }
    int ops = 0;
    boolean roomToRead = inEnd - inStart < maxBuffered;
    if (!inputClosed && (roomToRead || state == State.LINGER)) {
      ops |= SelectionKey.OP_READ;
    }
    if (!out.isEmpty() || transport.wantsWrite() || (state == State.LINGER && !shutDone())) {
      ops |= SelectionKey.OP_WRITE;
    }
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  private boolean shutDone() {
    return !transport.wantsWrite();
  }

  void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    server.closed(this);
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
    Exchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.gone();
    }
    in = NO_BYTES;
    out.clear();
  }

  /**
   * The server is stopping: idle and half-received requests end now; answers in progress finish.
   */
  void stop() {
    switch (state) {
      case READ_HEAD, READ_BODY -> close();
      case PROCESS -> {
        if (exchange != null && exchange.parked()) {
          exchange.stopping(
              Response.error(503, "shutting down").header("Retry-After", "1").close());
        }
      }
      default -> {
        // WRITE and LINGER finish within the drain time
      }
    }
  }
}
