package dev.hotconf.settings;

import dev.hotconf.HotConfig;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.validate.ShrinkGuard;
import dev.hotconf.validate.Validator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Checked settings and what they name: the sources (created, not started) and validators, ready to
 * go into a {@link HotConfig}. Build one {@code HotConfig} from it ({@link #builder()}): from then
 * on the builder owns the sources (a {@code HotConfig} closes them, and so does a failed {@code
 * build()}). Until then the assembly owns them: {@link #close()} closes them, and does nothing once
 * {@link #builder()} was called, so try-with-resources fits both cases.
 *
 * <p>Not thread-safe.
 *
 * @param <T> the front-end's settings record
 */
public final class Assembly<T> implements AutoCloseable {
  private final T settings;
  private final HotConfigSettings hotConfigSettings;
  private final List<ConfigSource> sources;
  private final List<Validator> validators;
  private final ShrinkGuard guard;
  private boolean handedOver;

  Assembly(
      T settings,
      HotConfigSettings hotConfigSettings,
      List<ConfigSource> sources,
      List<Validator> validators) {
    this.settings = settings;
    this.hotConfigSettings = hotConfigSettings;
    this.sources = List.copyOf(sources);
    this.validators = List.copyOf(validators);
    this.guard = hotConfigSettings.guard().map(GuardSettings::toGuard).orElse(null);
  }

  /** The front-end's settings, as bound. */
  public T settings() {
    return settings;
  }

  /** The shared settings inside them. */
  public HotConfigSettings hotConfigSettings() {
    return hotConfigSettings;
  }

  /** The sources, in precedence order, not started. */
  public List<ConfigSource> sources() {
    return sources;
  }

  /** The validators the settings name (the schema's; the guard is {@link #guard()}). */
  public List<Validator> validators() {
    return validators;
  }

  /**
   * The shrink guard {@code guard:} describes, if any; {@link #builder()} adds it. Keep it to
   * override it once ({@link ShrinkGuard#allowNext()}).
   */
  public Optional<ShrinkGuard> guard() {
    return Optional.ofNullable(guard);
  }

  /**
   * A builder with the sources, validators, shrink guard, start timeout, last-known-good file and
   * redactor (the defaults plus {@code redact}); add what the front-end needs (a name, a clock,
   * more validators) and build. Call it once.
   *
   * @throws IllegalStateException on a second call (sources start only once)
   */
  public HotConfig.Builder builder() {
    return builder(UnaryOperator.identity());
  }

  /**
   * {@link #builder()} with each source passed through {@code wrap} first, e.g. to observe what a
   * source delivers (fleet acknowledgements track the Consul source this way). {@code wrap} returns
   * the source itself or a source that delegates to it (and closes it); never null.
   *
   * @throws IllegalStateException on a second call (sources start only once)
   */
  public HotConfig.Builder builder(UnaryOperator<ConfigSource> wrap) {
    Objects.requireNonNull(wrap, "wrap");
    if (handedOver) {
      throw new IllegalStateException("the sources were handed over (builder()) or closed already");
    }
    handedOver = true;
    HotConfig.Builder b = HotConfig.builder().startTimeout(hotConfigSettings.startTimeout());
    for (ConfigSource source : sources) {
      b.source(Objects.requireNonNull(wrap.apply(source), "wrap returned null"));
    }
    validators.forEach(b::validate);
    if (guard != null) {
      b.validate(guard);
    }
    hotConfigSettings.lastKnownGood().ifPresent(b::lastKnownGood);
    b.redactor(hotConfigSettings.redactor());
    return b;
  }

  /** Closes the sources, unless {@link #builder()} took them over. Idempotent. */
  @Override
  public void close() {
    if (!handedOver) {
      handedOver = true;
      sources.forEach(ConfigSource::close);
    }
  }
}
