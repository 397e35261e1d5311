package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/*
 * Design: TLS over a non-blocking channel with an SSLEngine (server mode), driven by the server
 * thread. The handshake is advanced from read() (and write()), whatever the engine asks for: read
 * and unwrap, wrap and send, or run its delegated tasks (inline: they are short CPU work, and a
 * handshake must finish within the request timeout anyway). Unwrapping and wrapping go through
 * the server's shared scratch buffers; a connection keeps only what is left over (a partial
 * record, decrypted bytes the caller had no room for, encrypted bytes the socket did not take), so
 * an idle TLS connection holds no buffer. All buffers are kept in read mode (position..limit is
 * the pending data).
 */
final class TlsTransport implements Transport {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
  private static final int MAX_STEPS = 10_000;

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final Scratch scratch;
  private ByteBuffer netIn = EMPTY;
  private ByteBuffer appIn = EMPTY;
  private ByteBuffer netOut = EMPTY;
  private boolean inboundDone;
  private boolean outputShut;

  /** The server thread's buffers, shared by all its TLS connections. */
  static final class Scratch {
    private ByteBuffer netIn = EMPTY;
    private ByteBuffer app = EMPTY;
    private ByteBuffer netOut = EMPTY;

    ByteBuffer netIn(int size) {
      if (netIn.capacity() < size) {
        netIn = ByteBuffer.allocate(size);
      }
      return netIn.clear();
    }

    ByteBuffer app(int size) {
      if (app.capacity() < size) {
        app = ByteBuffer.allocate(size);
      }
      return app.clear();
    }

    ByteBuffer netOut(int size) {
      if (netOut.capacity() < size) {
        netOut = ByteBuffer.allocate(size);
      }
      return netOut.clear();
    }

    boolean owns(ByteBuffer b) {
      return b == netIn || b == app || b == netOut;
    }
  }

  TlsTransport(SocketChannel channel, SSLEngine engine, Scratch scratch) {
    this.channel = channel;
    this.engine = engine;
    this.scratch = scratch;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      int total = drain(dst);
      int steps = 0;
      while (dst.hasRemaining() && !appIn.hasRemaining()) {
        if (++steps > MAX_STEPS) {
          throw new IOException("TLS engine made no progress");
        }
        if (!flushNetOut()) {
          break; // handshake bytes wait for the socket
        }
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK) {
          runTasks();
          continue;
        }
        if (hs == HandshakeStatus.NEED_WRAP) {
          wrap(NOTHING);
          continue;
        }
        if (inboundDone) {
          break;
        }
        if (netIn.hasRemaining() && unwrap() != Status.BUFFER_UNDERFLOW) {
          total += drain(dst);
          continue;
        }
        int n = readNet();
        if (n < 0) {
          inboundDone = true;
          try {
            engine.closeInbound();
          } catch (SSLException e) {
            // the peer closed without close_notify: a truncated stream, which we do not care about
          }
          break;
        }
        if (n == 0) {
          break;
        }
      }
      if (total == 0 && inboundDone && !appIn.hasRemaining()) {
        return -1;
      }
      return total;
    } finally {
      netIn = keep(netIn);
      appIn = keep(appIn);
    }
  }

  /** Whether decrypted or received bytes are waiting for another {@link #read}. */
  boolean hasBufferedInput() {
    return appIn.hasRemaining() || netIn.hasRemaining();
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    long taken = 0;
    int steps = 0;
    while (flushNetOut() && remaining(srcs) > 0) {
      if (++steps > MAX_STEPS) {
        throw new IOException("TLS engine made no progress");
      }
      HandshakeStatus hs = engine.getHandshakeStatus();
      if (hs == HandshakeStatus.NEED_TASK) {
        runTasks();
        continue;
      }
      if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
        break; // a handshake (renegotiation) waits for the peer
      }
      taken += wrap(srcs).bytesConsumed();
    }
    return taken;
  }

  @Override
  public boolean flush() throws IOException {
    return flushNetOut();
  }

  @Override
  public boolean wantsWrite() {
    return netOut.hasRemaining();
  }

  @Override
  public boolean shutdownOutput() throws IOException {
    if (!outputShut) {
      outputShut = true;
      engine.closeOutbound();
    }
    int steps = 0;
    while (!engine.isOutboundDone()) {
      if (!flushNetOut()) {
        return false;
      }
      if (++steps > MAX_STEPS || wrap(NOTHING).bytesProduced() == 0) {
        break;
      }
    }
    if (!flushNetOut()) {
      return false;
    }
    channel.shutdownOutput();
    return true;
  }

  private SSLEngineResult wrap(ByteBuffer[] srcs) throws IOException {
    ByteBuffer out = scratch.netOut(engine.getSession().getPacketBufferSize());
    SSLEngineResult r;
    try {
      r = engine.wrap(srcs, out);
    } finally {
      out.flip();
      netOut = out;
    }
    if (r.getStatus() == Status.CLOSED && r.bytesConsumed() == 0 && remaining(srcs) > 0) {
      throw new IOException("TLS connection closed");
    }
    flushNetOut();
    return r;
  }

  private Status unwrap() throws IOException {
    ByteBuffer app = scratch.app(engine.getSession().getApplicationBufferSize());
    SSLEngineResult r;
    try {
      r = engine.unwrap(netIn, app);
    } finally {
      app.flip();
      appIn = app;
    }
    if (r.getStatus() == Status.CLOSED) {
      inboundDone = true;
    }
    return r.getStatus();
  }

  private int readNet() throws IOException {
    int size = engine.getSession().getPacketBufferSize();
    ByteBuffer net;
    if (scratch.owns(netIn) && netIn.capacity() >= size) {
      net = netIn.compact();
    } else {
      ByteBuffer left = netIn;
      net = scratch.netIn(Math.max(size, left.remaining() + 1));
      net.put(left);
    }
    try {
      return channel.read(net);
    } finally {
      net.flip();
      netIn = net;
    }
  }

  private boolean flushNetOut() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        netOut = keep(netOut);
        return false;
      }
    }
    netOut = EMPTY;
    return true;
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private int drain(ByteBuffer dst) {
    int n = Math.min(appIn.remaining(), dst.remaining());
    if (n > 0) {
      ByteBuffer slice = appIn.duplicate();
      slice.limit(slice.position() + n);
      dst.put(slice);
      appIn.position(appIn.position() + n);
    }
    return n;
  }

  /**
   * A private copy of what is left in a shared scratch buffer (or the buffer itself if private).
   */
  private ByteBuffer keep(ByteBuffer b) {
    if (!b.hasRemaining()) {
      return EMPTY;
    }
    if (!scratch.owns(b)) {
      return b;
    }
    ByteBuffer copy = ByteBuffer.allocate(b.remaining());
    copy.put(b.duplicate()).flip();
    return copy;
  }

  private static long remaining(ByteBuffer[] srcs) {
    long n = 0;
    for (ByteBuffer b : srcs) {
      n += b.remaining();
    }
    return n;
  }
}
