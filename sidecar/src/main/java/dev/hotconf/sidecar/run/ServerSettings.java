package dev.hotconf.sidecar.run;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Max;
import dev.hotconf.bind.Min;
import dev.hotconf.bind.Positive;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} section of {@code sidecar.yaml}: where the HTTP API listens, the bearer token
 * it requires, HTTPS and the server's limits. Immutable and thread-safe.
 *
 * @param listen {@code HOST:PORT} ({@code [::1]:8750} for IPv6; a bare {@code :PORT} is loopback)
 * @param tokenFile a file holding the bearer token every endpoint but {@code /healthz} requires
 * @param insecureBind allow a non-loopback {@code listen} without a token or without HTTPS
 * @param tlsCertFile PEM certificate chain: with {@code tlsKeyFile}, the API is served over HTTPS
 * @param tlsKeyFile PEM private key of that certificate (unencrypted)
 * @param maxConnections most open connections (lowered to fit the open-file limit)
 * @param requestTimeout longest time to receive a whole request, from its first byte
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 */
public record ServerSettings(
    @DefaultValue("127.0.0.1:8750") String listen,
    Optional<Path> tokenFile,
    @DefaultValue("false") boolean insecureBind,
    Optional<Path> tlsCertFile,
    Optional<Path> tlsKeyFile,
    @DefaultValue("2048") @Min("16") @Max("1000000") int maxConnections,
    @DefaultValue("10s") @Positive Duration requestTimeout,
    @DefaultValue("30s") @Positive Duration idleTimeout)
    implements Checked {

  public ServerSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(tlsCertFile, "tlsCertFile");
    Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  @Override
  public void check(Checks checks) {
    try {
      listenAddress();
    } catch (IllegalArgumentException e) {
      checks.problem("listen", e.getMessage());
    }
    if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
      checks.problem(
          tlsCertFile.isPresent() ? "tlsCertFile" : "tlsKeyFile",
          "tls-cert-file and tls-key-file go together");
    }
  }

  /**
   * {@link #listen()} as an address (a host name is resolved).
   *
   * @throws IllegalArgumentException when it is not {@code HOST:PORT}
   */
  public InetSocketAddress listenAddress() {
    int colon = listen.lastIndexOf(':');
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      String host =
          colon <= 0 ? "127.0.0.1" : listen.substring(0, colon).replace("[", "").replace("]", "");
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException("must be HOST:PORT, e.g. 127.0.0.1:8750");
    }
  }
}
