package dev.hotconf.sidecar.run;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The sidecar's own configuration ({@code hotconf run --config FILE}), validated and with every
 * relative path resolved against the config file's folder. Immutable.
 */
public record SidecarConfig(
    Path file,
    List<SourceSpec> sources,
    Path schema,
    boolean strictSchema,
    Server server,
    List<TargetSpec> targets,
    Path lastKnownGood,
    Duration startTimeout,
    Duration shutdownGrace) {

  public SidecarConfig {
    sources = List.copyOf(sources);
    targets = List.copyOf(targets);
  }

  /** A source entry; {@code origin} is where it was declared ({@code file:line:col}). */
  public sealed interface SourceSpec permits FileSpec, ConsulSpec {
    String origin();
  }

  /** {@code type: file}. {@code format} may be null (by extension). */
  public record FileSpec(
      String origin, Path path, Duration debounce, Duration maxWait, String format)
      implements SourceSpec {}

  /**
   * {@code type: consul}: exactly one of key/prefix. Token: inline, file or env variable name.
   * {@code rateLimitBurst} and {@code rateLimitRefill} are null for config-consul's defaults.
   */
  public record ConsulSpec(
      String origin,
      URI address,
      String key,
      String prefix,
      String format,
      String token,
      Path tokenFile,
      String tokenEnv,
      Duration waitTime,
      String consistency,
      String datacenter,
      Path caFile,
      boolean deletedMeansEmpty,
      Integer rateLimitBurst,
      Duration rateLimitRefill)
      implements SourceSpec {}

  /**
   * {@code server:} section. {@code tokenFile} may be null (no auth); {@code tlsCertFile} and
   * {@code tlsKeyFile} are both null (plain HTTP) or both set (HTTPS).
   */
  public record Server(
      InetSocketAddress listen,
      Path tokenFile,
      boolean insecureBind,
      Path tlsCertFile,
      Path tlsKeyFile,
      int maxConnections,
      Duration requestTimeout,
      Duration idleTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 2048;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Plain HTTP with the default limits. */
    public Server(InetSocketAddress listen, Path tokenFile, boolean insecureBind) {
      this(
          listen,
          tokenFile,
          insecureBind,
          null,
          null,
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_REQUEST_TIMEOUT,
          DEFAULT_IDLE_TIMEOUT);
    }
  }

  /** A push target. */
  public sealed interface TargetSpec permits UrlTarget, FileTarget {
    String name();
  }

  /**
   * {@code redactPath}: show the URL's path as {@code /<redacted>} wherever the target is named
   * (webhook URLs often carry their secret in the path).
   */
  public record UrlTarget(URI url, Duration timeout, Duration maxBackoff, boolean redactPath)
      implements TargetSpec {
    public UrlTarget(URI url, Duration timeout, Duration maxBackoff) {
      this(url, timeout, maxBackoff, false);
    }

    @Override
    public String name() {
      return url.toString();
    }
  }

  public record FileTarget(Path file) implements TargetSpec {
    @Override
    public String name() {
      return "file:" + file;
    }
  }
}
