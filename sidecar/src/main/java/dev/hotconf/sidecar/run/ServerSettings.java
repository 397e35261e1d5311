package dev.hotconf.sidecar.run;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} section of {@code sidecar.yaml}: where the HTTP API listens and the bearer
 * token it requires. Immutable and thread-safe.
 *
 * @param listen {@code HOST:PORT} ({@code [::1]:8750} for IPv6; a bare {@code :PORT} is loopback)
 * @param tokenFile a file holding the bearer token every endpoint but {@code /healthz} requires
 * @param insecureBind allow a non-loopback {@code listen} without a token
 */
public record ServerSettings(
    @DefaultValue("127.0.0.1:8750") String listen,
    Optional<Path> tokenFile,
    @DefaultValue("false") boolean insecureBind)
    implements Checked {

  public ServerSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tokenFile, "tokenFile");
  }

  @Override
  public void check(Checks checks) {
    try {
      listenAddress();
    } catch (IllegalArgumentException e) {
      checks.problem("listen", e.getMessage());
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
