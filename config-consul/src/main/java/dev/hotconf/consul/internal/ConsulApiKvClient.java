package dev.hotconf.consul.internal;

import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.KeyValueConsulClient;
import com.ecwid.consul.v1.kv.model.GetValue;
import dev.hotconf.consul.ConsistencyMode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
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
 * {@link KvClient} over consul-api 1.4.5, on an Apache HttpClient 4.5 built here rather than
 * consul-api's shared default, because:
 *
 * <ul>
 *   <li>the token must go in the {@code X-Consul-Token} header (added by a request interceptor),
 *       never as consul-api's {@code ?token=} query parameter, which ends up in URLs that
 *       consul-api logs at JUL FINEST and in proxies' access logs: we pass no token to consul-api;
 *   <li>the socket timeout must outlast a blocking query ({@code wait + wait/16} of Consul jitter
 *       plus a margin), which consul-api's fixed 10 min does not for {@code wait=10m};
 *   <li>TLS needs our own SSLContext (PEM CA, system trust, mutual TLS);
 *   <li>{@link #close()} must abort a blocking read in flight, which needs the request object (kept
 *       by another interceptor) and our own connection pool;
 *   <li>HttpClient's own retries are off so that retry counts and backoff are ours alone, and its
 *       header logging is off (see {@link QuietConnectionFactory}).
 * </ul>
 *
 * Not part of the public API.
 */
public final class ConsulApiKvClient implements KvClient {
  private static final int MAX_BODY_IN_MESSAGE = 200;

  /** Connection settings. {@code ssl} null means the system trust store (for https addresses). */
  public record Settings(
      URI address,
      ConsistencyMode consistency,
      String datacenter,
      Duration connectTimeout,
      Duration readTimeout,
      SSLContext ssl,
      TokenProvider token) {
    public Settings {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(consistency, "consistency");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(readTimeout, "readTimeout");
      Objects.requireNonNull(token, "token");
    }
  }

  private final Settings settings;
  private final String displayAddress;
  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient http;
  private final KeyValueConsulClient kv;
  private final AtomicReference<HttpRequestBase> inFlight = new AtomicReference<>();
  private volatile boolean aborting;
  private volatile boolean closed;
  private volatile String lastToken;

  public ConsulApiKvClient(Settings settings) {
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
            .disableCookieManagement()
            .disableRedirectHandling()
            .disableAuthCaching()
            .setUserAgent("hotconf-consul")
            .addInterceptorFirst(this::track)
            .addInterceptorLast(tokenInterceptor())
            .build();
    String path = a.getRawPath() == null ? "" : a.getRawPath().replaceAll("^/+|/+$", "");
    this.kv =
        new KeyValueConsulClient(
            new ConsulRawClient(http, a.getScheme() + "://" + a.getHost(), a.getPort(), path));
  }

  private static Registry<ConnectionSocketFactory> registry(Settings settings) {
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

  @Override
  public KvResponse get(String key, long index, Duration wait) throws KvException {
    Response<GetValue> response = call(key, () -> kv.getKVValue(key, params(index, wait)));
    GetValue value = response.getValue();
    long responseIndex = requireIndex(response, key);
    if (value == null) {
      return KvResponse.notFound(responseIndex, knownLeader(response));
    }
    return KvResponse.found(List.of(entry(value, key)), responseIndex, knownLeader(response));
  }

  @Override
  public KvResponse list(String prefix, long index, Duration wait) throws KvException {
    Response<List<GetValue>> response =
        call(prefix, () -> kv.getKVValues(prefix, params(index, wait)));
    List<GetValue> values = response.getValue();
    long responseIndex = requireIndex(response, prefix);
    if (values == null) {
      return KvResponse.notFound(responseIndex, knownLeader(response));
    }
    List<KvEntry> entries = new ArrayList<>(values.size());
    for (GetValue v : values) {
      if (v == null) {
        throw new KvException(
            KvException.Kind.BAD_RESPONSE,
            200,
            "Consul's answer for " + prefix + " contains a null entry",
            null);
      }
      entries.add(entry(v, prefix));
    }
    return KvResponse.found(entries, responseIndex, knownLeader(response));
  }

  private QueryParams params(long index, Duration wait) {
    QueryParams.Builder b =
        QueryParams.Builder.builder()
            .setConsistencyMode(
                switch (settings.consistency()) {
                  case DEFAULT -> com.ecwid.consul.v1.ConsistencyMode.DEFAULT;
                  case STALE -> com.ecwid.consul.v1.ConsistencyMode.STALE;
                  case CONSISTENT -> com.ecwid.consul.v1.ConsistencyMode.CONSISTENT;
                });
    if (settings.datacenter() != null) {
      b.setDatacenter(settings.datacenter());
    }
    if (index > 0) {
      // index 0 never blocks: then send neither index nor wait
      b.setIndex(index).setWaitTime(Math.max(1, wait.toSeconds()));
    }
    return b.build();
  }

  private interface Call<T> {
    Response<T> run();
  }

  private <T> Response<T> call(String key, Call<T> call) throws KvException {
    if (closed) {
      throw new KvException(KvException.Kind.ABORTED, "the Consul client is closed");
    }
    aborting = false;
    try {
      return call.run();
    } catch (OperationException e) {
      throw statusFailure(e.getStatusCode(), e.getStatusContent(), key);
    } catch (TransportException e) {
      throw transportFailure(e.getCause() != null ? e.getCause() : e);
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

  private KvException statusFailure(int status, String body, String key) {
    String text = sanitize(body);
    String answered = "Consul answered " + status + (text.isEmpty() ? "" : " \"" + text + "\"");
    KvException.Kind kind;
    String hint;
    if (status == 403) {
      kind = KvException.Kind.ACL_DENIED;
      hint = "the ACL token is missing, unknown or lacks key read permission on " + key;
    } else if (status == 429) {
      kind = KvException.Kind.RATE_LIMITED;
      hint = "Consul is rate limiting requests";
    } else if (status == 500
        && text.toLowerCase(java.util.Locale.ROOT).contains("no cluster leader")) {
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

  private KvException transportFailure(Throwable cause) {
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
        "cannot read from Consul at "
            + displayAddress
            + ": "
            + cause.getClass().getSimpleName()
            + detail,
        cause);
  }

  private long requireIndex(Response<?> response, String key) throws KvException {
    Long index = response.getConsulIndex();
    if (index == null) {
      throw new KvException(
          KvException.Kind.BAD_RESPONSE,
          0,
          "Consul's answer for "
              + key
              + " has no X-Consul-Index header; is "
              + displayAddress
              + " a Consul agent?",
          null);
    }
    return index;
  }

  private static boolean knownLeader(Response<?> response) {
    Boolean known = response.isConsulKnownLeader();
    return known == null || known;
  }

  private static KvEntry entry(GetValue value, String what) throws KvException {
    if (value.getKey() == null) {
      throw new KvException(
          KvException.Kind.BAD_RESPONSE,
          200,
          "Consul's answer for " + what + " has an entry without a Key",
          null);
    }
    byte[] bytes = null;
    if (value.getValue() != null) {
      try {
        bytes = Base64.getDecoder().decode(value.getValue());
      } catch (IllegalArgumentException e) {
        throw new KvException(
            KvException.Kind.BAD_RESPONSE,
            200,
            "Consul's answer for " + value.getKey() + " has a Value that is not base64",
            null);
      }
    }
    return new KvEntry(value.getKey(), bytes, value.getModifyIndex());
  }

  /** One line, at most 200 characters, the token (if it ever appeared) replaced. */
  String sanitize(String text) {
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

  @Override
  public void abort() {
    aborting = true;
    HttpRequestBase request = inFlight.get();
    if (request != null) {
      request.abort();
    }
  }

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
    return "ConsulApiKvClient[" + displayAddress + ", " + settings.token() + "]";
  }
}
