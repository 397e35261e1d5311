package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The options of every Consul-facing command ({@code publish}, {@code fleet ...}), with Consul's
 * own CLI conventions: the address from {@code --consul}, else {@code CONSUL_HTTP_ADDR} (with
 * {@code CONSUL_HTTP_SSL=true} meaning https), else the local agent; the ACL token from {@code
 * --token-file}, else the file named by {@code CONSUL_HTTP_TOKEN_FILE}, else {@code
 * CONSUL_HTTP_TOKEN} (a token file wins over a token, as in Consul's client); CA certificates from
 * {@code --ca-file}, else {@code CONSUL_CACERT}. The token is never a command-line value (process
 * lists show those), travels as the {@code X-Consul-Token} header only and is never printed.
 */
public final class ConsulOptions {
  static final String ADDR = "CONSUL_HTTP_ADDR";
  static final String SSL = "CONSUL_HTTP_SSL";
  static final String TOKEN = "CONSUL_HTTP_TOKEN";
  static final String TOKEN_FILE = "CONSUL_HTTP_TOKEN_FILE";
  static final String CACERT = "CONSUL_CACERT";

  @Option(
      names = "--consul",
      paramLabel = "ADDR",
      description =
          "Consul agent: host:port or http(s)://host[:port][/path]"
              + " (default: $CONSUL_HTTP_ADDR, else 127.0.0.1:8500).")
  String address;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the Consul ACL token (default: $CONSUL_HTTP_TOKEN_FILE, else the token"
              + " in $CONSUL_HTTP_TOKEN). Sent as X-Consul-Token, never printed.")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "PEM CA certificates to trust for https (default: $CONSUL_CACERT).")
  Path caFile;

  /**
   * The connection these options and {@code environment} describe.
   *
   * @throws CliException (usage, exit 2) for an unusable address, token or CA file
   */
  ConsulConnection connection(UnaryOperator<String> environment) {
    ConsulConnection.Builder b = ConsulConnection.builder();
    String addr = address != null ? address : blankToNull(environment.apply(ADDR));
    try {
      if (addr != null) {
        String ssl = blankToNull(environment.apply(SSL));
        boolean https = ssl != null && (ssl.equalsIgnoreCase("true") || ssl.equals("1"));
        b.address(!addr.contains("://") && https ? "https://" + addr : addr);
      }
      if (tokenFile != null) {
        b.tokenFile(tokenFile);
      } else if (blankToNull(environment.apply(TOKEN_FILE)) != null) {
        b.tokenFile(Path.of(environment.apply(TOKEN_FILE).strip()));
      } else if (blankToNull(environment.apply(TOKEN)) != null) {
        b.tokenFromEnv(TOKEN, environment);
      }
      Path ca = caFile != null ? caFile : pathOrNull(environment.apply(CACERT));
      if (ca != null) {
        b.caCertificate(ca);
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(ExitCode.USAGE, "hotconf: Consul connection: " + e.getMessage(), e);
    }
  }

  /** The exit code and message for a failed Consul request. */
  static CliException failure(String doing, ConsulException e) {
    ExitCode code =
        switch (e.kind()) {
          case ACL_DENIED, TOKEN_UNAVAILABLE -> ExitCode.USAGE;
          default -> ExitCode.UNREACHABLE;
        };
    return new CliException(code, "hotconf: " + doing + ": " + e.getMessage(), e);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Path pathOrNull(String s) {
    String v = blankToNull(s);
    return v == null ? null : Path.of(v);
  }

  @Override
  public String toString() {
    return "ConsulOptions[" + (address == null ? "from environment" : address) + "]";
  }
}
