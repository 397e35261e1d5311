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
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Consul source's entry in settings ({@code type: consul} in {@code sidecar.yaml}, {@code
 * hotconf.sources[N]} in the framework adapters), read in one place for {@link
 * ConsulSourceConfig#from} and {@link ConsulSourceProvider}: the binder checks the keys and their
 * types, {@link ConsulSourceConfig.Builder} checks the values (it is the one authority on ranges
 * and formats), and each rejection becomes a problem at the offending key.
 */
final class ConsulSourceSettings {
  /** The builder's names that differ from the settings keys, as they appear in its messages. */
  private static final Map<String, String> SETTINGS_NAMES =
      Map.of(
          "tokenFromEnv", "token-env",
          "tokenFile", "token-file",
          "waitTime", "wait",
          "caCertificate", "ca-file",
          "rateLimit.burst", "rate-limit-burst",
          "rateLimit.refill", "rate-limit-refill");

  private static final Pattern BUILDER_KEY = Pattern.compile("[a-z][A-Za-z]*(\\.[a-z][A-Za-z]*)?");

  private static final Pattern BUILDER_NAME =
      Pattern.compile(
          "\\b(" + String.join("|", SETTINGS_NAMES.keySet()).replace(".", "\\.") + ")\\b");

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
            ? supply(bound, "key", () -> ConsulSourceConfig.key(e.key().get()))
            : supply(bound, "prefix", () -> ConsulSourceConfig.prefix(e.prefix().get()));
    if (b == null) {
      bound.orThrow();
    }
    e.address().ifPresent(a -> apply(bound, "address", () -> b.address(a)));
    e.format().ifPresent(f -> apply(bound, "format", () -> b.format(ConfigFormat.named(f))));
    e.token().ifPresent(t -> apply(bound, "token", () -> b.token(t)));
    e.tokenFile().ifPresent(f -> apply(bound, "tokenFile", () -> b.tokenFile(f)));
    e.tokenEnv()
        .ifPresent(v -> apply(bound, "tokenEnv", () -> b.tokenFromEnv(v, context.environment())));
    e.waitTime().ifPresent(w -> apply(bound, "waitTime", () -> b.waitTime(w)));
    e.consistency().ifPresent(b::consistency);
    e.datacenter().ifPresent(d -> apply(bound, "datacenter", () -> b.datacenter(d)));
    e.caFile().ifPresent(f -> apply(bound, "caFile", () -> b.caCertificate(f)));
    b.onMissing(e.deletedMeansEmpty() ? MissingPolicy.EMPTY : MissingPolicy.KEEP_LAST_GOOD);
    // the builder checks burst and refill in one call: check each against the other's default, so
    // that a problem lands on the key that has it
    int burst = e.rateLimitBurst().orElse(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST);
    Duration refill = e.rateLimitRefill().orElse(ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL);
    e.rateLimitBurst()
        .ifPresent(
            n ->
                apply(
                    bound,
                    "rateLimitBurst",
                    () -> b.rateLimit(n, ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL)));
    e.rateLimitRefill()
        .ifPresent(
            d ->
                apply(
                    bound,
                    "rateLimitRefill",
                    () -> b.rateLimit(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST, d)));
    if (bound.ok() && (e.rateLimitBurst().isPresent() || e.rateLimitRefill().isPresent())) {
      b.rateLimit(burst, refill);
    }
    // build() rejects TLS files on an http:// address; ca-file is the TLS file settings name
    ConsulSourceConfig config = bound.ok() ? supply(bound, "caFile", b::build) : null;
    bound.orThrow();
    return config;
  }

  private static void apply(Bound<?> bound, String component, Runnable action) {
    supply(
        bound,
        component,
        () -> {
          action.run();
          return Boolean.TRUE;
        });
  }

  /**
   * As {@link Bound#supply}, with the builder's message in the settings' words: the builder method
   * that starts it is dropped (the problem is at the key already) and the builder's names are the
   * keys ({@code tokenFile} is {@code token-file}).
   */
  private static <R> R supply(Bound<?> bound, String component, Supplier<R> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      bound.problem(component, settingsMessage(e.getMessage()));
      return null;
    }
  }

  static String settingsMessage(String builderMessage) {
    if (builderMessage == null) {
      return "is not valid";
    }
    String m = builderMessage;
    int colon = m.indexOf(": ");
    if (colon > 0 && BUILDER_KEY.matcher(m.substring(0, colon)).matches()) {
      m = m.substring(colon + 2);
    }
    return BUILDER_NAME.matcher(m).replaceAll(r -> SETTINGS_NAMES.get(r.group(1)));
  }
}
