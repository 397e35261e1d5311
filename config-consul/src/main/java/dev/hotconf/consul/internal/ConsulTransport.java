package dev.hotconf.consul.internal;

import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * The HTTP side of every hotconf Consul client: an Apache HttpClient 4.5 built here rather than
 * consul-api's shared default, wrapped in consul-api's {@link ConsulRawClient}, because:
 *
 * <ul>
 *   <li>the token must go in the {@code X-Consul-Token} header (added by a request interceptor),
 *       never as consul-api's {@code ?token=} query parameter, which ends up in URLs that
 *       consul-api logs at JUL FINEST and in proxies' access logs: callers pass no token to
 *       consul-api;
 *   <li>the socket timeout must outlast a blocking query ({@code wait + wait/16} of Consul jitter
 *       plus a margin), which consul-api's fixed 10 min does not for {@code wait=10m};
 *   <li>TLS needs our own SSLContext (PEM CA, system trust, mutual TLS);
 *   <li>{@link #abort()} and {@link #close()} must stop a blocking read in flight, which needs the
 *       request object (kept by another interceptor) and our own connection pool;
 *   <li>HttpClient's own retries are off so that retry counts and backoff are ours alone, and its
 *       header logging is off (see {@link QuietConnectionFactory});
 *   <li>idle connections are reused for 15 s at most ({@link #KEEP_ALIVE_MILLIS}): a client that
 *       writes every 30 s would otherwise reuse connections the server is closing.
 * </ul>
 *
 * {@link #call} maps every failure to a {@link KvException} whose message never holds the token.
 * One request at a time is tracked for {@link #abort()}; {@link #close()} may be called from any
 * thread. Not part of the public API.
 */
public final class ConsulTransport implements AutoCloseable {
  private static final int MAX_BODY_IN_MESSAGE = 200;

  /**
   * How long an idle pooled connection may be reused: shorter than the idle timeouts servers and
   * proxies commonly apply (30 s and up), so a request never goes out on a connection the other
   * side is closing at that moment (it would fail with no answer, and retries are ours only). A
   * connection idle for longer is closed when next leased and a new one opened; a blocking read
   * keeps its connection busy, so the source is unaffected.
   */
  static final long KEEP_ALIVE_MILLIS = 15_000;

  private final ConsulApiKvClient.Settings settings;
  private final String displayAddress;
  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient http;
  private final ConsulRawClient raw;
  private final AtomicReference<HttpRequestBase> inFlight = new AtomicReference<>();
  private volatile boolean aborting;
  private volatile boolean closed;
  private volatile String lastToken;

  /** A consul-api call. */
  public interface Call<T> {
    T run();
  }

  public ConsulTransport(ConsulApiKvClient.Settings settings) {
    this.settings = settings;
    URI a = settings.address();
    this.displayAddress =
        a.getScheme()
            + "://"
            + a.getHost()
            + ":"
            + a.getPort()
            + (a.getRawPath() == null ? "" : a.getRawPath());
    this.connections =
        new PoolingHttpClientConnectionManager(registry(settings), new QuietConnectionFactory());
    connections.setMaxTotal(2);
    connections.setDefaultMaxPerRoute(2);
    int readMillis = (int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis());
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    connections.setDefaultSocketConfig(
        SocketConfig.custom().setSoTimeout(readMillis).setTcpNoDelay(true).build());
    RequestConfig requestConfig =
        RequestConfig.custom()
            .setConnectTimeout(connectMillis)
            .setConnectionRequestTimeout(connectMillis)
            .setSocketTimeout(readMillis)
            .setRedirectsEnabled(false)
            .build();
    this.http =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(requestConfig)
            .disableAutomaticRetries()
            .setKeepAliveStrategy((response, context) -> KEEP_ALIVE_MILLIS)
            .disableCookieManagement()
            .disableRedirectHandling()
            .disableAuthCaching()
            .setUserAgent("hotconf-consul")
            .addInterceptorFirst(this::track)
            .addInterceptorLast(tokenInterceptor())
            .build();
    String path = a.getRawPath() == null ? "" : a.getRawPath().replaceAll("^/+|/+$", "");
    this.raw = new ConsulRawClient(http, a.getScheme() + "://" + a.getHost(), a.getPort(), path);
  }

  private static Registry<ConnectionSocketFactory> registry(ConsulApiKvClient.Settings settings) {
    RegistryBuilder<ConnectionSocketFactory> registry =
        RegistryBuilder.<ConnectionSocketFactory>create()
            .register("http", PlainConnectionSocketFactory.getSocketFactory());
    if ("https".equals(settings.address().getScheme())) {
      SSLContext ssl = settings.ssl();
      if (ssl == null) {
        ssl = SslContexts.create(null, null, null, null, null);
      }
      registry.register(
          "https",
          new SSLConnectionSocketFactory(
              ssl, SSLConnectionSocketFactory.getDefaultHostnameVerifier()));
    }
    return registry.build();
  }

  private HttpRequestInterceptor tokenInterceptor() {
    return (request, context) -> {
      String token = settings.token().token();
      request.removeHeaders("X-Consul-Token");
      if (token != null) {
        lastToken = token;
        request.addHeader("X-Consul-Token", token);
      }
    };
  }

  private void track(HttpRequest request, org.apache.http.protocol.HttpContext context)
      throws IOException {
    if (request instanceof HttpRequestWrapper wrapper
        && wrapper.getOriginal() instanceof HttpRequestBase base) {
      inFlight.set(base);
      if (aborting || closed) {
        base.abort();
        throw new InterruptedIOException("request aborted: the Consul client is closing");
      }
    }
  }

  /** consul-api's client, on this transport's HttpClient. */
  public ConsulRawClient raw() {
    return raw;
  }

  /** The address as shown in messages: scheme, host, port and path. */
  public String displayAddress() {
    return displayAddress;
  }

  /** The settings this transport was built with. */
  public ConsulApiKvClient.Settings settings() {
    return settings;
  }

  /**
   * Runs {@code call}, mapping consul-api's exceptions: a status other than 200 ({@link
   * OperationException}), a transport failure, an unreadable body; {@code key} names what the
   * request was about in messages.
   */
  public <T> T call(String key, Call<T> call) throws KvException {
    return call(key, "key read", call);
  }

  /**
   * {@link #call(String, Call)} for a request that needs {@code permission} ({@code "key write"},
   * {@code "session write"}), named in the hint of a 403.
   */
  public <T> T call(String key, String permission, Call<T> call) throws KvException {
    if (closed) {
      throw new KvException(KvException.Kind.ABORTED, "the Consul client is closed");
    }
    aborting = false;
    try {
      return call.run();
    } catch (OperationException e) {
      throw statusFailure(e.getStatusCode(), e.getStatusContent(), key, permission);
    } catch (TransportException e) {
      throw transportFailure(
          e.getCause() != null ? e.getCause() : e,
          permission.equals("key read") ? "read from" : "reach");
    } catch (RuntimeException e) {
      if (closed || aborting) {
        throw new KvException(KvException.Kind.ABORTED, 0, "the Consul read was aborted", e);
      }
      // consul-api parses the body with gson: JsonSyntaxException, NullPointerException for
      // "null"...
      throw new KvException(
          KvException.Kind.BAD_RESPONSE,
          200,
          "Consul's answer for "
              + key
              + " is not the expected JSON ("
              + e.getClass().getSimpleName()
              + ": "
              + sanitize(e.getMessage())
              + "); is "
              + displayAddress
              + " a Consul agent?",
          e);
    } finally {
      inFlight.set(null);
    }
  }

  /** The failure for a non-200 answer: typed by status, with a hint, the token never shown. */
  public KvException statusFailure(int status, String body, String key, String permission) {
    String text = sanitize(body);
    String answered = "Consul answered " + status + (text.isEmpty() ? "" : " \"" + text + "\"");
    KvException.Kind kind;
    String hint;
    if (status == 403) {
      kind = KvException.Kind.ACL_DENIED;
      hint = "the ACL token is missing, unknown or lacks " + permission + " permission on " + key;
    } else if (status == 429) {
      kind = KvException.Kind.RATE_LIMITED;
      hint = "Consul is rate limiting requests";
    } else if (status == 500 && text.toLowerCase(Locale.ROOT).contains("no cluster leader")) {
      kind = KvException.Kind.NO_LEADER;
      hint = "the Consul cluster has no leader (election or quorum loss)";
    } else if (status == 503) {
      kind = KvException.Kind.UNAVAILABLE;
      hint = "Consul is unavailable or overloaded";
    } else if (status >= 500) {
      kind = KvException.Kind.SERVER_ERROR;
      hint = "Consul server error";
    } else if (status >= 400) {
      kind = KvException.Kind.CLIENT_ERROR;
      hint =
          status == 400
              ? "Consul rejected the request (bad key name or parameter)"
              : "Consul rejected the request";
    } else {
      kind = KvException.Kind.BAD_RESPONSE;
      hint = "unexpected status from " + displayAddress;
    }
    return new KvException(kind, status, answered + ": " + hint, null);
  }

  private KvException transportFailure(Throwable cause, String verb) {
    if (closed || aborting) {
      return new KvException(KvException.Kind.ABORTED, 0, "the Consul read was aborted", cause);
    }
    if (cause instanceof TokenProvider.TokenUnavailableException) {
      return new KvException(KvException.Kind.TOKEN_UNAVAILABLE, 0, cause.getMessage(), null);
    }
    if (cause instanceof ConnectTimeoutException) {
      return new KvException(
          KvException.Kind.TIMEOUT,
          0,
          "cannot connect to Consul at "
              + displayAddress
              + " within "
              + Durations.format(settings.connectTimeout()),
          cause);
    }
    if (cause instanceof SocketTimeoutException) {
      return new KvException(
          KvException.Kind.TIMEOUT,
          0,
          "no answer from Consul at "
              + displayAddress
              + " within the read timeout of "
              + Durations.format(settings.readTimeout()),
          cause);
    }
    if (cause instanceof SSLException) {
      return new KvException(
          KvException.Kind.TLS,
          0,
          "TLS with Consul at "
              + displayAddress
              + " failed: "
              + cause.getClass().getSimpleName()
              + ": "
              + sanitize(cause.getMessage()),
          cause);
    }
    String detail = cause.getMessage() == null ? "" : ": " + sanitize(cause.getMessage());
    return new KvException(
        KvException.Kind.CONNECTION,
        0,
        "cannot "
            + verb
            + " Consul at "
            + displayAddress
            + ": "
            + cause.getClass().getSimpleName()
            + detail,
        cause);
  }

  /** One line, at most 200 characters, the token (if it ever appeared) replaced. */
  public String sanitize(String text) {
    if (text == null) {
      return "";
    }
    String t = text;
    String token = lastToken;
    if (token != null && !token.isEmpty()) {
      t = t.replace(token, "<redacted>");
    }
    t = t.replaceAll("[\\p{Cntrl}]+", " ").strip();
    if (t.length() > MAX_BODY_IN_MESSAGE) {
      t = t.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
    return t;
  }

  /** Aborts the request in flight, if any (it fails with {@link KvException.Kind#ABORTED}). */
  public void abort() {
    aborting = true;
    HttpRequestBase request = inFlight.get();
    if (request != null) {
      request.abort();
    }
  }

  /** Aborts the request in flight and releases every connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    abort();
    try {
      http.close();
    } catch (IOException | RuntimeException e) {
      // closing: nothing useful to do
    }
    connections.shutdown();
  }

  @Override
  public String toString() {
    return "ConsulTransport[" + displayAddress + ", " + settings.token() + "]";
  }
}
