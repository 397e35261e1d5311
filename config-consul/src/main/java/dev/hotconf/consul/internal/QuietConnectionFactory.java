package dev.hotconf.consul.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.conn.HttpConnectionFactory;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.DefaultManagedHttpClientConnection;

/**
 * Creates connections that never log headers or wire data. HttpClient's default factory wraps every
 * connection in a logging one that writes each request header (our {@code X-Consul-Token} included)
 * to the {@code org.apache.http.headers} logger at debug level, which commons-logging routes to
 * java.util.logging, Log4j or SLF4J: one debug setting away from leaking the token. Not part of the
 * public API.
 */
final class QuietConnectionFactory
    implements HttpConnectionFactory<HttpRoute, ManagedHttpClientConnection> {
  private static final AtomicLong COUNTER = new AtomicLong();

  @Override
  public ManagedHttpClientConnection create(HttpRoute route, ConnectionConfig config) {
    ConnectionConfig cc = config != null ? config : ConnectionConfig.DEFAULT;
    // null decoder/encoder: ASCII header handling, as HttpClient does without a configured charset
    return new DefaultManagedHttpClientConnection(
        "hotconf-consul-" + COUNTER.getAndIncrement(),
        cc.getBufferSize(),
        cc.getFragmentSizeHint(),
        null,
        null,
        cc.getMessageConstraints(),
        null,
        null,
        null,
        null);
  }
}
