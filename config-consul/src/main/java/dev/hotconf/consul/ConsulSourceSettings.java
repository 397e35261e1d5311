package dev.hotconf.consul;

import dev.hotconf.ConfigObject;
import dev.hotconf.bind.Bound;
import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Name;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.SourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A Consul source's entry in settings ({@code type: consul} in {@code sidecar.yaml}, {@code
 * hotconf.sources[N]} in the framework adapters), read in one place for {@link
 * ConsulSourceConfig#from} and {@link ConsulSourceProvider}: the binder checks the keys and their
 * types, {@link ConsulSourceConfig.Builder} checks the values (it is the one authority on ranges
 * and formats), and each rejection becomes a problem at the offending key.
 */
final class ConsulSourceSettings {
  private ConsulSourceSettings() {}

  /** The keys of an entry (kebab-case in files: {@code token-file}). */
  record Entry(
      Optional<String> type,
      Optional<String> address,
      Optional<String> key,
      Optional<String> prefix,
      Optional<String> format,
      Optional<String> token,
      Optional<Path> tokenFile,
      Optional<String> tokenEnv,
      @Name("wait") Optional<Duration> waitTime,
      Optional<ConsistencyMode> consistency,
      Optional<String> datacenter,
      Optional<Path> caFile,
      @DefaultValue("false") boolean deletedMeansEmpty,
      Optional<Integer> rateLimitBurst,
      Optional<Duration> rateLimitRefill)
      implements Checked {
    @Override
    public void check(Checks checks) {
      if (key.isPresent() == prefix.isPresent()) {
        checks.problem("a consul source needs exactly one of 'key' or 'prefix'");
      }
      type.filter(t -> !t.equals(ConsulSourceProvider.TYPE))
          .ifPresent(t -> checks.problem("type", "expected " + ConsulSourceProvider.TYPE));
    }
  }

  /**
   * Reads an entry into a config.
   *
   * @throws dev.hotconf.ConfigException listing every problem
   */
  static ConsulSourceConfig read(ConfigObject settings, SourceContext context) {
    Bound<Entry> bound = context.bind(settings, Entry.class);
    if (!bound.ok()) {
      bound.orThrow();
    }
    Entry e = bound.value();
    ConsulSourceConfig.Builder b =
        e.key().isPresent()
            ? bound.supply("key", () -> ConsulSourceConfig.key(e.key().get()))
            : bound.supply("prefix", () -> ConsulSourceConfig.prefix(e.prefix().get()));
    if (b == null) {
      bound.orThrow();
    }
    e.address().ifPresent(a -> bound.apply("address", () -> b.address(a)));
    e.format().ifPresent(f -> bound.apply("format", () -> b.format(ConfigFormat.named(f))));
    e.token().ifPresent(t -> bound.apply("token", () -> b.token(t)));
    e.tokenFile().ifPresent(f -> bound.apply("tokenFile", () -> b.tokenFile(f)));
    e.tokenEnv()
        .ifPresent(v -> bound.apply("tokenEnv", () -> b.tokenFromEnv(v, context.environment())));
    e.waitTime().ifPresent(w -> bound.apply("waitTime", () -> b.waitTime(w)));
    e.consistency().ifPresent(b::consistency);
    e.datacenter().ifPresent(d -> bound.apply("datacenter", () -> b.datacenter(d)));
    e.caFile().ifPresent(f -> bound.apply("caFile", () -> b.caCertificate(f)));
    b.onMissing(e.deletedMeansEmpty() ? MissingPolicy.EMPTY : MissingPolicy.KEEP_LAST_GOOD);
    // the builder checks burst and refill in one call: check each against the other's default, so
    // that a problem lands on the key that has it
    int burst = e.rateLimitBurst().orElse(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST);
    Duration refill = e.rateLimitRefill().orElse(ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL);
    e.rateLimitBurst()
        .ifPresent(
            n ->
                bound.apply(
                    "rateLimitBurst",
                    () -> b.rateLimit(n, ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL)));
    e.rateLimitRefill()
        .ifPresent(
            d ->
                bound.apply(
                    "rateLimitRefill",
                    () -> b.rateLimit(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST, d)));
    if (bound.ok() && (e.rateLimitBurst().isPresent() || e.rateLimitRefill().isPresent())) {
      b.rateLimit(burst, refill);
    }
    // build() rejects TLS files on an http:// address; ca-file is the TLS file settings name
    ConsulSourceConfig config = bound.ok() ? bound.supply("caFile", b::build) : null;
    bound.orThrow();
    return config;
  }
}
