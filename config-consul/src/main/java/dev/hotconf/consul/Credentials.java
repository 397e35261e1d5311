package dev.hotconf.consul;

import dev.hotconf.consul.internal.SslContexts;
import dev.hotconf.consul.internal.TokenProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * What a request to Consul presents: the ACL token and the TLS files (trusted CA, client identity).
 * Shared by {@link ConsulSourceConfig} (reads) and {@link ConsulConnection} (writes, sessions,
 * acknowledgements), so both take these settings with the same checks and messages.
 *
 * <p>Immutable and thread-safe; {@link #appendTo} never shows the token or a key-store password.
 */
final class Credentials {

  private final TokenProvider token;
  private final Path caCertificate;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Path clientKeyStore;
  private final char[] clientKeyStorePassword;

  private Credentials(Builder b) {
    this.token = b.token;
    this.caCertificate = b.caCertificate;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.clientKeyStore = b.clientKeyStore;
    this.clientKeyStorePassword =
        b.clientKeyStorePassword == null ? null : b.clientKeyStorePassword.clone();
  }

  TokenProvider token() {
    return token;
  }

  boolean hasToken() {
    return token != TokenProvider.none();
  }

  /** Whether TLS files were given (otherwise https uses the system trust store, no identity). */
  boolean hasTlsFiles() {
    return caCertificate != null || clientCertificate != null || clientKeyStore != null;
  }

  /** The TLS context for these files; reads the PEM / PKCS#12 files now. */
  SSLContext sslContext() {
    return SslContexts.create(
        caCertificate, clientCertificate, clientKey, clientKeyStore, clientKeyStorePassword);
  }

  /** Appends {@code ", <token>"} and each TLS file given: no secret, the password redacted. */
  StringBuilder appendTo(StringBuilder sb) {
    sb.append(", ").append(token);
    if (caCertificate != null) {
      sb.append(", ca=").append(caCertificate);
    }
    if (clientCertificate != null) {
      sb.append(", clientCertificate=")
          .append(clientCertificate)
          .append(", clientKey=")
          .append(clientKey);
    }
    if (clientKeyStore != null) {
      sb.append(", clientKeyStore=").append(clientKeyStore).append(" (password redacted)");
    }
    return sb;
  }

  /**
   * The token and TLS part of a builder. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with the method's name (or {@link
   * NullPointerException} for null); a call that contradicts an earlier one (a second way of giving
   * the token, a second client identity) throws what the owning builder's contract names, made by
   * {@code conflict} from the message. Messages never repeat a token or a password. Not
   * thread-safe.
   */
  static final class Builder {
    private final Function<String, RuntimeException> conflict;
    private TokenProvider token = TokenProvider.none();
    private String tokenMethod;
    private Path caCertificate;
    private Path clientCertificate;
    private Path clientKey;
    private Path clientKeyStore;
    private char[] clientKeyStorePassword;

    Builder(Function<String, RuntimeException> conflict) {
      this.conflict = Objects.requireNonNull(conflict, "conflict");
    }

    /** Starts from another token (a source's), which any token method below replaces. */
    Builder inheritToken(TokenProvider inherited) {
      this.token = Objects.requireNonNull(inherited, "inherited");
      return this;
    }

    void token(String token) {
      Objects.requireNonNull(token, "token");
      onlyTokenSource("token");
      try {
        TokenProvider.checkToken(token, "the token");
      } catch (IllegalArgumentException e) {
        throw invalid("token", e);
      }
      this.token = TokenProvider.literal(token);
      tokenMethod = "token";
    }

    void tokenFromEnv(String variable, UnaryOperator<String> environment) {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(environment, "environment");
      onlyTokenSource("tokenFromEnv");
      if (variable.isBlank()) {
        throw new IllegalArgumentException("tokenFromEnv: the variable name must not be blank");
      }
      String value = environment.apply(variable);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "tokenFromEnv: environment variable " + variable + " is not set or empty");
      }
      try {
        TokenProvider.checkToken(value.strip(), "environment variable " + variable);
      } catch (IllegalArgumentException e) {
        throw invalid("tokenFromEnv", e);
      }
      this.token = TokenProvider.environment(variable, environment);
      tokenMethod = "tokenFromEnv";
    }

    void tokenFile(Path file) {
      Objects.requireNonNull(file, "file");
      onlyTokenSource("tokenFile");
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException(
            "tokenFile: " + file + " does not exist or is not a readable file");
      }
      this.token = TokenProvider.file(file);
      tokenMethod = "tokenFile";
    }

    void caCertificate(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      try {
        SslContexts.create(pemFile, null, null, null, null);
      } catch (IllegalArgumentException e) {
        throw invalid("caCertificate", e);
      }
      this.caCertificate = pemFile;
    }

    void clientCertificate(Path certificatePem, Path privateKeyPem) {
      Objects.requireNonNull(certificatePem, "certificatePem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      if (clientKeyStore != null) {
        throw conflict.apply(
            "clientCertificate: cannot be combined with clientKeyStore: give the client"
                + " certificate one way only");
      }
      try {
        SslContexts.create(null, certificatePem, privateKeyPem, null, null);
      } catch (IllegalArgumentException e) {
        throw invalid("clientCertificate", e);
      }
      this.clientCertificate = certificatePem;
      this.clientKey = privateKeyPem;
    }

    void clientKeyStore(Path pkcs12File, char[] password) {
      Objects.requireNonNull(pkcs12File, "pkcs12File");
      Objects.requireNonNull(password, "password");
      if (clientCertificate != null) {
        throw conflict.apply(
            "clientKeyStore: cannot be combined with clientCertificate: give the client"
                + " certificate one way only");
      }
      try {
        SslContexts.create(null, null, null, pkcs12File, password);
      } catch (IllegalArgumentException e) {
        throw invalid("clientKeyStore", e);
      }
      this.clientKeyStore = pkcs12File;
      this.clientKeyStorePassword = password.clone();
    }

    /** The first TLS method called (for a message at build time), or null without TLS files. */
    String tlsMethod() {
      return caCertificate != null
          ? "caCertificate"
          : clientCertificate != null
              ? "clientCertificate"
              : clientKeyStore != null ? "clientKeyStore" : null;
    }

    Credentials build() {
      return new Credentials(this);
    }

    private void onlyTokenSource(String method) {
      if (tokenMethod != null && !tokenMethod.equals(method)) {
        throw conflict.apply(
            method
                + ": cannot be combined with "
                + tokenMethod
                + ": give the ACL token one way only (token, tokenFile or tokenFromEnv)");
      }
    }

    private static IllegalArgumentException invalid(String method, IllegalArgumentException e) {
      return new IllegalArgumentException(method + ": " + e.getMessage(), e);
    }
  }
}
