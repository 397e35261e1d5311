package dev.hotconf.sidecar.internal.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link NioHttpServer}: address, TLS, connection cap, timeouts and request limits.
 * Immutable; build with {@link #builder()}, whose setters check their argument at once (a bad value
 * throws {@link IllegalArgumentException} naming the setting). Defaults: loopback port 0, plain
 * HTTP, 2,048 connections, request timeout 10 s, idle timeout 30 s, send timeout 30 s, request line
 * 8 KiB, head 16 KiB, 64 header fields, body 1 KiB, 2 worker threads with 64 queued tasks.
 */
public final class HttpServerConfig {
  private final InetSocketAddress listen;
  private final SSLContext tls;
  private final int maxConnections;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final Duration sendTimeout;
  private final Duration lingerTimeout;
  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;
  private final int maxHeaderFields;
  private final int maxBodyBytes;
  private final int workerThreads;
  private final int workerQueue;
  private final String threadName;

  private HttpServerConfig(Builder b) {
    this.listen = b.listen;
    this.tls = b.tls;
    this.maxConnections = b.maxConnections;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.sendTimeout = b.sendTimeout;
    this.lingerTimeout = b.lingerTimeout;
    this.maxRequestLineBytes = b.maxRequestLineBytes;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxHeaderFields = b.maxHeaderFields;
    this.maxBodyBytes = b.maxBodyBytes;
    this.workerThreads = b.workerThreads;
    this.workerQueue = b.workerQueue;
    this.threadName = b.threadName;
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetSocketAddress listen() {
    return listen;
  }

  /** The TLS context, or null for plain HTTP. */
  public SSLContext tls() {
    return tls;
  }

  /**
   * Most open connections; at the cap the longest-idle one is closed, else a new one is refused.
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Longest time to receive a whole request (line, headers and body), from its first byte; also how
   * long a new connection may stay silent (and a TLS handshake may take).
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** How long a kept-alive connection may wait for its next request. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How long an answer may make no progress because the client does not read it. */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** How long, after an answer that closes the connection, the rest of the request is drained. */
  public Duration lingerTimeout() {
    return lingerTimeout;
  }

  public int maxRequestLineBytes() {
    return maxRequestLineBytes;
  }

  /** Most bytes of request line and header section (with CRLFs). */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  public int maxHeaderFields() {
    return maxHeaderFields;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public int workerThreads() {
    return workerThreads;
  }

  public int workerQueue() {
    return workerQueue;
  }

  public String threadName() {
    return threadName;
  }

  /** Builds a {@link HttpServerConfig}; not thread-safe. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private SSLContext tls;
    private int maxConnections = 2048;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Duration lingerTimeout = Duration.ofSeconds(2);
    private int maxRequestLineBytes = 8 * 1024;
    private int maxHeaderBytes = 16 * 1024;
    private int maxHeaderFields = 64;
    private int maxBodyBytes = 1024;
    private int workerThreads = 2;
    private int workerQueue = 64;
    private String threadName = "hotconf-http";

    private Builder() {}

    public Builder listen(InetSocketAddress listen) {
      this.listen = Objects.requireNonNull(listen, "listen");
      return this;
    }

    /** Serves HTTPS with this context; null for plain HTTP. */
    public Builder tls(SSLContext tls) {
      this.tls = tls;
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = range("maxConnections", n, 1, 1_000_000);
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive("requestTimeout", d);
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = positive("idleTimeout", d);
      return this;
    }

    public Builder sendTimeout(Duration d) {
      this.sendTimeout = positive("sendTimeout", d);
      return this;
    }

    public Builder lingerTimeout(Duration d) {
      this.lingerTimeout = positive("lingerTimeout", d);
      return this;
    }

    public Builder maxRequestLineBytes(int n) {
      this.maxRequestLineBytes = range("maxRequestLineBytes", n, 64, 1 << 20);
      return this;
    }

    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = range("maxHeaderBytes", n, 256, 1 << 20);
      return this;
    }

    public Builder maxHeaderFields(int n) {
      this.maxHeaderFields = range("maxHeaderFields", n, 1, 10_000);
      return this;
    }

    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = range("maxBodyBytes", n, 0, 1 << 20);
      return this;
    }

    public Builder workerThreads(int n) {
      this.workerThreads = range("workerThreads", n, 1, 64);
      return this;
    }

    public Builder workerQueue(int n) {
      this.workerQueue = range("workerQueue", n, 1, 100_000);
      return this;
    }

    public Builder threadName(String name) {
      this.threadName = Objects.requireNonNull(name, "threadName");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the request line limit exceeds the head limit
     */
    public HttpServerConfig build() {
      if (maxRequestLineBytes > maxHeaderBytes) {
        throw new IllegalArgumentException(
            "maxRequestLineBytes ("
                + maxRequestLineBytes
                + ") must not exceed maxHeaderBytes ("
                + maxHeaderBytes
                + ")");
      }
      return new HttpServerConfig(this);
    }

    private static int range(String name, int n, int min, int max) {
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
      }
      return n;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
