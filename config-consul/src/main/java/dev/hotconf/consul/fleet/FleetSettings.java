package dev.hotconf.consul.fleet;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.internal.Durations;
import dev.hotconf.consul.rollout.RolloutSettings;
import dev.hotconf.source.ConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The {@code fleet:} section of a front-end's settings ({@code sidecar.yaml}; any front-end can
 * make it a component of its settings record), bound by config-core's binder: every value is
 * checked where it is written (line:col), all problems at once.
 *
 * <pre>{@code
 * fleet:
 *   app: orders                 # required
 *   instance: web-1             # default: host name + a stable suffix
 *   # address, token, token-file, token-env, ca-file: default to the first consul source's
 *   ttl: 60s                    # session TTL: 10s to 24h
 *   renew-interval: 30s         # default: half the TTL
 *   key-prefix: hotconf/acks/   # records at <key-prefix><app>/<instance>
 *   # staged rollouts (RolloutSettings): labels, follow-rollouts, health-url, health-interval,
 *   # health-timeout, health-failures, rollout-prefix
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param app the application name: 1 to 64 of {@code [A-Za-z0-9_.-]}
 * @param instance this instance's ID (default: {@link InstanceIds#defaultId})
 * @param address the Consul agent (default: the first consul source's, else the local agent)
 * @param token a literal ACL token (default: the first consul source's token)
 * @param tokenFile a file holding the token, read before every request
 * @param tokenEnv an environment variable holding the token
 * @param caFile PEM CA certificates for an https agent
 * @param ttl the session TTL
 * @param renewInterval how often the session is renewed (default: half the TTL)
 * @param keyPrefix where records live
 * @param rollouts the staged-rollout keys, written at this level ({@link RolloutSettings})
 */
public record FleetSettings(
    String app,
    Optional<String> instance,
    Optional<String> address,
    Optional<String> token,
    Optional<Path> tokenFile,
    Optional<String> tokenEnv,
    Optional<Path> caFile,
    @DefaultValue("60s") Duration ttl,
    Optional<Duration> renewInterval,
    @DefaultValue(AcknowledgerConfig.DEFAULT_KEY_PREFIX) String keyPrefix,
    @Inline RolloutSettings rollouts)
    implements Checked {

  private static final Pattern APP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public FleetSettings {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(tokenEnv, "tokenEnv");
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(renewInterval, "renewInterval");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(rollouts, "rollouts");
  }

  @Override
  public void check(Checks checks) {
    if (!APP.matcher(app).matches()) {
      checks.problem("app", "must be 1 to 64 letters, digits, _ . or -");
    }
    instance
        .filter(i -> !InstanceIds.isValid(i))
        .ifPresent(i -> checks.problem("instance", "must be 1 to 128 letters, digits, _ . or -"));
    if (ttl.compareTo(Duration.ofSeconds(10)) < 0
        || ttl.compareTo(Duration.ofHours(24)) > 0
        || ttl.getNano() != 0) {
      checks.problem(
          "ttl",
          "must be whole seconds between 10s and 24h (Consul's session limits) but was "
              + Durations.format(ttl));
    }
    renewInterval
        .filter(r -> r.compareTo(Duration.ofMillis(10)) < 0 || r.compareTo(ttl) >= 0)
        .ifPresent(
            r -> checks.problem("renewInterval", "must be at least 10ms and shorter than the ttl"));
    int tokens =
        (token.isPresent() ? 1 : 0)
            + (tokenFile.isPresent() ? 1 : 0)
            + (tokenEnv.isPresent() ? 1 : 0);
    if (tokens > 1) {
      checks.problem("give the fleet's ACL token one way only: token, token-file or token-env");
    }
    address.ifPresent(
        a -> {
          try {
            ConsulConnection.builder().address(a);
          } catch (IllegalArgumentException e) {
            checks.problem("address", e.getMessage().replaceFirst("^address: ", ""));
          }
        });
    try {
      AcknowledgerConfig.builder("app", ConsulConnection.builder().build()).keyPrefix(keyPrefix);
    } catch (IllegalArgumentException e) {
      checks.problem("keyPrefix", e.getMessage().replaceFirst("^keyPrefix: ", ""));
    }
  }

  /**
   * The acknowledger's settings: these keys over the defaults of {@code source} (the Consul source
   * the configuration comes from: its agent, token and TLS), else the local agent.
   *
   * @param source the source to be tracked: a Consul source gives its connection defaults (see
   *     {@link ConsulAcknowledger#firstConsulSource}); empty or another source: the local agent
   * @param discriminator what makes the default instance ID unique on a host (the sidecar's config
   *     file)
   * @param agent what the records say wrote them
   * @param environment where {@code token-env} is looked up
   * @throws IllegalArgumentException (message starting with the key) for a token or CA file that
   *     cannot be used now
   */
  public AcknowledgerConfig.Builder toConfig(
      Optional<? extends ConfigSource> source,
      String discriminator,
      String agent,
      UnaryOperator<String> environment) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(discriminator, "discriminator");
    ConsulConnection.Builder c =
        source
            .filter(ConsulSource.class::isInstance)
            .map(s -> ConsulConnection.builder(((ConsulSource) s).config()))
            .orElseGet(ConsulConnection::builder);
    address.ifPresent(c::address);
    token.ifPresent(
        t -> {
          try {
            c.token(t);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token: " + e.getMessage(), e);
          }
        });
    tokenFile.ifPresent(f -> rename("token-file", () -> c.tokenFile(f)));
    tokenEnv.ifPresent(v -> rename("token-env", () -> c.tokenFromEnv(v, environment)));
    caFile.ifPresent(f -> rename("ca-file", () -> c.caCertificate(f)));
    ConsulConnection connection;
    try {
      connection = c.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("ca-file: " + e.getMessage(), e);
    }
    AcknowledgerConfig.Builder b =
        AcknowledgerConfig.builder(app, connection)
            .instance(instance.orElseGet(() -> InstanceIds.defaultId(discriminator)))
            .ttl(ttl)
            .keyPrefix(keyPrefix)
            .agent(agent);
    renewInterval.ifPresent(b::renewInterval);
    return b;
  }

  private static void rename(String key, Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^[A-Za-z]+: ", "");
      throw new IllegalArgumentException(key + ": " + m, e);
    }
  }
}
