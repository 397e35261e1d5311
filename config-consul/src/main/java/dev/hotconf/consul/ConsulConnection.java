package dev.hotconf.consul;

import dev.hotconf.consul.internal.Durations;
import dev.hotconf.consul.internal.SslContexts;
import dev.hotconf.consul.internal.TokenProvider;
import java.net.URI;
import java.nio.file.Files;
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
  private final TokenProvider token;
  private final Path caCertificate;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Path clientKeyStore;
  private final char[] clientKeyStorePassword;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ConsulSourceConfig source;

  private ConsulConnection(Builder b) {
    this.address = b.address;
    this.token = b.token;
    this.caCertificate = b.caCertificate;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.clientKeyStore = b.clientKeyStore;
    this.clientKeyStorePassword =
        b.clientKeyStorePassword == null ? null : b.clientKeyStorePassword.clone();
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    boolean ownTls =
        b.caCertificate != null || b.clientCertificate != null || b.clientKeyStore != null;
    this.source = ownTls ? null : b.tlsOf;
  }

  private ConsulConnection(ConsulSourceConfig source) {
    this.address = source.address();
    this.token = source.tokenProvider();
    this.caCertificate = null;
    this.clientCertificate = null;
    this.clientKey = null;
    this.clientKeyStore = null;
    this.clientKeyStorePassword = null;
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
    b.token = source.tokenProvider();
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
    return token != TokenProvider.none();
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
    return token;
  }

  /** The TLS context for an https address (null for http); reads the PEM / PKCS#12 files now. */
  SSLContext sslContext() {
    if (!usesTls()) {
      return null;
    }
    if (source != null) {
      return source.sslContext();
    }
    return SslContexts.create(
        caCertificate, clientCertificate, clientKey, clientKeyStore, clientKeyStorePassword);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("ConsulConnection[").append(address).append(", ").append(token);
    if (source != null) {
      sb.append(", tls=as ").append(source.name());
    }
    if (caCertificate != null) {
      sb.append(", ca=").append(caCertificate);
    }
    if (clientCertificate != null) {
      sb.append(", clientCertificate=").append(clientCertificate);
    }
    if (clientKeyStore != null) {
      sb.append(", clientKeyStore=").append(clientKeyStore).append(" (password redacted)");
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
    private TokenProvider token = TokenProvider.none();
    private String tokenMethod;
    private Path caCertificate;
    private Path clientCertificate;
    private Path clientKey;
    private Path clientKeyStore;
    private char[] clientKeyStorePassword;
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
      onlyTokenSource("token");
      try {
        this.token = TokenProvider.literal(token);
        tokenMethod = "token";
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("token: " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * A token read from {@code file} (trimmed) before every request, so rotation on disk is picked
     * up. The file must be readable now.
     */
    public Builder tokenFile(Path file) {
      Objects.requireNonNull(file, "file");
      onlyTokenSource("tokenFile");
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException(
            "tokenFile: " + file + " does not exist or is not a readable file");
      }
      this.token = TokenProvider.file(file);
      tokenMethod = "tokenFile";
      return this;
    }

    /** A token read from environment variable {@code variable}, which must be set now. */
    public Builder tokenFromEnv(String variable) {
      return tokenFromEnv(variable, System::getenv);
    }

    /** {@link #tokenFromEnv(String)} with the environment as a function (for tests, front-ends). */
    public Builder tokenFromEnv(String variable, UnaryOperator<String> environment) {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(environment, "environment");
      onlyTokenSource("tokenFromEnv");
      String value = environment.apply(variable);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "tokenFromEnv: environment variable " + variable + " is not set or empty");
      }
      try {
        TokenProvider.checkToken(value.strip(), "environment variable " + variable);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tokenFromEnv: " + e.getMessage(), e);
      }
      this.token = TokenProvider.environment(variable, environment);
      tokenMethod = "tokenFromEnv";
      return this;
    }

    /** Trusts the CA certificates in this PEM file (https). Parsed now. */
    public Builder caCertificate(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      try {
        SslContexts.create(pemFile, null, null, null, null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("caCertificate: " + e.getMessage(), e);
      }
      this.caCertificate = pemFile;
      return this;
    }

    /** Mutual TLS with a PEM certificate (chain) and PEM private key. Parsed now. */
    public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
      Objects.requireNonNull(certificatePem, "certificatePem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      if (clientKeyStore != null) {
        throw new IllegalStateException(
            "clientCertificate: cannot be combined with clientKeyStore: give one client identity");
      }
      try {
        SslContexts.create(null, certificatePem, privateKeyPem, null, null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("clientCertificate: " + e.getMessage(), e);
      }
      this.clientCertificate = certificatePem;
      this.clientKey = privateKeyPem;
      return this;
    }

    /** Mutual TLS with the key and certificate of a PKCS#12 key store. Read now. */
    public Builder clientKeyStore(Path pkcs12File, char[] password) {
      Objects.requireNonNull(pkcs12File, "pkcs12File");
      Objects.requireNonNull(password, "password");
      if (clientCertificate != null) {
        throw new IllegalStateException(
            "clientKeyStore: cannot be combined with clientCertificate: give one client identity");
      }
      try {
        SslContexts.create(null, null, null, pkcs12File, password);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("clientKeyStore: " + e.getMessage(), e);
      }
      this.clientKeyStore = pkcs12File;
      this.clientKeyStorePassword = password.clone();
      return this;
    }

    /** How long to wait for a TCP (and TLS) connection: 1 ms to 5 m. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          between(timeout, "connectTimeout", Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /** How long a request that does not block may take: 100 ms to 10 m. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout =
          between(timeout, "requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(10));
      return this;
    }

    /**
     * The connection.
     *
     * @throws IllegalStateException when TLS files are given for an {@code http://} address
     */
    public ConsulConnection build() {
      if ((caCertificate != null || clientCertificate != null || clientKeyStore != null)
          && !"https".equals(address.getScheme())) {
        throw new IllegalStateException(
            "build: TLS files are configured but the address is not https://");
      }
      return new ConsulConnection(this);
    }

    private void onlyTokenSource(String method) {
      if (tokenMethod != null && !tokenMethod.equals(method)) {
        throw new IllegalStateException(
            method
                + ": cannot be combined with "
                + tokenMethod
                + ": give the ACL token one way only (token, tokenFile or tokenFromEnv)");
      }
    }

    private static Duration between(Duration d, String what, Duration min, Duration max) {
      Objects.requireNonNull(d, what);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            what
                + ": must be between "
                + Durations.format(min)
                + " and "
                + Durations.format(max)
                + " but was "
                + Durations.format(d));
      }
      return d;
    }
  }
}
