package dev.hotconf.consul.internal;

import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.KeyValueConsulClient;
import com.ecwid.consul.v1.kv.model.GetValue;
import dev.hotconf.consul.ConsistencyMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * {@link KvClient} over consul-api 1.4.5, on a {@link ConsulTransport} (our own HttpClient: the
 * token as a header only, a socket timeout that outlasts blocking queries, our TLS, abortable
 * reads, no retries or header logging of its own). Not part of the public API.
 */
public final class ConsulApiKvClient implements KvClient {

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
  private final ConsulTransport transport;
  private final KeyValueConsulClient kv;

  public ConsulApiKvClient(Settings settings) {
    this.settings = settings;
    this.transport = new ConsulTransport(settings);
    this.kv = new KeyValueConsulClient(transport.raw());
  }

  @Override
  public KvResponse get(String key, long index, Duration wait) throws KvException {
    Response<GetValue> response =
        transport.call(key, () -> kv.getKVValue(key, params(index, wait)));
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
        transport.call(prefix, () -> kv.getKVValues(prefix, params(index, wait)));
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

  private long requireIndex(Response<?> response, String key) throws KvException {
    Long index = response.getConsulIndex();
    if (index == null) {
      throw new KvException(
          KvException.Kind.BAD_RESPONSE,
          0,
          "Consul's answer for "
              + key
              + " has no X-Consul-Index header; is "
              + transport.displayAddress()
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
    return transport.sanitize(text);
  }

  @Override
  public void abort() {
    transport.abort();
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "ConsulApiKvClient[" + transport.displayAddress() + ", " + settings.token() + "]";
  }
}
