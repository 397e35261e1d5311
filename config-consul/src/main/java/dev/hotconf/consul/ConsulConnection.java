package dev.hotconf.consul;

import dev.hotconf.consul.internal.Durations;
import dev.hotconf.consul.internal.TokenProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * How to reach a Consul agent: its address, the ACL token (sent as the {@code X-Consul-Token}
 * header only) and TLS. Used by {@link ConsulClient} (writes, sessions, fleet acknowledgements) and
 * by the {@code hotconf publish} / {@code fleet} commands. {@link #of(ConsulSourceConfig)} reuses a
 * source's agent, token and TLS.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>address</td><td>{@code http://127.0.0.1:8500} (the local agent)</td></tr>
 *   <tr><td>token</td><td>none (Consul's anonymous token)</td></tr>
 *   <tr><td>TLS</td><td>for {@code https://}: the system trust store, no client certificate</td></tr>
 *   <tr><td>connect timeout</td><td>10 s</td></tr>
 *   <tr><td>request timeout</td><td>30 s for a request that does not block (a blocking read gets
 *       {@code wait + wait/16} more)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; no method accepts or returns {@code null}. {@link #toString()}
 * never shows the token or a key-store password.
 */
public final class ConsulConnection {

  /** The default request timeout of requests that do not block. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI address;
  private final Credentials credentials;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ConsulSourceConfig source; // whose TLS settings to use; null: this one's own

  private ConsulConnection(Builder b) {
    this.address = b.address;
    this.credentials = b.credentials.build();
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.source = credentials.hasTlsFiles() ? null : b.tlsOf;
  }

  private ConsulConnection(ConsulSourceConfig source) {
    this.address = source.address();
    this.credentials =
        new Credentials.Builder(IllegalStateException::new)
            .inheritToken(source.tokenProvider())
            .build();
    this.connectTimeout = source.connectTimeout();
    this.requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    this.source = source;
  }

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from a source's agent, ACL token and TLS settings, each of which the
   * builder's methods may replace (a token method replaces the source's token; TLS files replace
   * its TLS settings).
   */
  public static Builder builder(ConsulSourceConfig source) {
    Objects.requireNonNull(source, "source");
    Builder b = new Builder();
    b.address = source.address();
    b.credentials.inheritToken(source.tokenProvider());
    b.connectTimeout = source.connectTimeout();
    b.tlsOf = source;
    return b;
  }

  /**
   * The agent, ACL token and TLS settings of a Consul source: acknowledgements and publishing go
   * where the configuration comes from, with the same credentials.
   */
  public static ConsulConnection of(ConsulSourceConfig source) {
    Objects.requireNonNull(source, "source");
    return new ConsulConnection(source);
  }

  /** The agent's base URI, with an explicit port. */
  public URI address() {
    return address;
  }

  /** Whether requests carry an ACL token (the token itself is not exposed). */
  public boolean hasToken() {
    return credentials.hasToken();
  }

  public boolean usesTls() {
    return "https".equals(address.getScheme());
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long a request that does not block may take. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  TokenProvider tokenProvider() {
    return credentials.token();
  }

  /** The TLS context for an https address (null for http); reads the PEM / PKCS#12 files now. */
  SSLContext sslContext() {
    if (!usesTls()) {
      return null;
    }
    if (source != null) {
      return source.sslContext();
    }
    return credentials.sslContext();
  }

  @Override
  public String toString() {
    StringBuilder sb = credentials.appendTo(new StringBuilder("ConsulConnection[").append(address));
    if (source != null) {
      sb.append(", tls=as ").append(source.name());
    }
    return sb.append(", connectTimeout=")
        .append(Durations.format(connectTimeout))
        .append(", requestTimeout=")
        .append(Durations.format(requestTimeout))
        .append(']')
        .toString();
  }

  /**
   * Builds a {@link ConsulConnection}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with the method's name; contradictory calls (two
   * token sources, two client identities) throw {@link IllegalStateException}. Not thread-safe.
   */
  public static final class Builder {
    private URI address = ConsulSourceConfig.parseAddress(ConsulSourceConfig.DEFAULT_ADDRESS);
    private final Credentials.Builder credentials =
        new Credentials.Builder(IllegalStateException::new);
    private Duration connectTimeout = ConsulSourceConfig.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private ConsulSourceConfig tlsOf;

    private Builder() {}

    /**
     * {@code host:port}, {@code host} (port 8500) or {@code http(s)://host[:port][/path]}: the
     * forms {@code CONSUL_HTTP_ADDR} takes. Credentials in the URL are rejected.
     */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      // parseAddress's messages already start with "address: " and never repeat the address
      this.address = ConsulSourceConfig.parseAddress(address);
      return this;
    }

    /** A literal ACL token. */
    public Builder token(String token) {
      credentials.token(token);
      return this;
    }

    /**
     * A token read from {@code file} (trimmed) before every request, so rotation on disk is picked
     * up. The file must be readable now.
     */
    public Builder tokenFile(Path file) {
      credentials.tokenFile(file);
      return this;
    }

    /** A token read from environment variable {@code variable}, which must be set now. */
    public Builder tokenFromEnv(String variable) {
      return tokenFromEnv(variable, System::getenv);
    }

    /** {@link #tokenFromEnv(String)} with the environment as a function (for tests, front-ends). */
    public Builder tokenFromEnv(String variable, UnaryOperator<String> environment) {
      credentials.tokenFromEnv(variable, environment);
      return this;
    }

    /** Trusts the CA certificates in this PEM file (https). Parsed now. */
    public Builder caCertificate(Path pemFile) {
      credentials.caCertificate(pemFile);
      return this;
    }

    /** Mutual TLS with a PEM certificate (chain) and PEM private key. Parsed now. */
    public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
      credentials.clientCertificate(certificatePem, privateKeyPem);
      return this;
    }

    /** Mutual TLS with the key and certificate of a PKCS#12 key store. Read now. */
    public Builder clientKeyStore(Path pkcs12File, char[] password) {
      credentials.clientKeyStore(pkcs12File, password);
      return this;
    }

    /** How long to wait for a TCP (and TLS) connection: 1 ms to 5 m. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          Durations.between(timeout, "connectTimeout", Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /** How long a request that does not block may take: 100 ms to 10 m. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout =
          Durations.between(
              timeout, "requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(10));
      return this;
    }

    /**
     * The connection.
     *
     * @throws IllegalStateException when TLS files are given for an {@code http://} address
     */
    public ConsulConnection build() {
      if (credentials.tlsMethod() != null && !"https".equals(address.getScheme())) {
        throw new IllegalStateException(
            "build: TLS files are configured but the address is not https://");
      }
      return new ConsulConnection(this);
    }
  }
}
