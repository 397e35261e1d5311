package dev.hotconf.source;

import dev.hotconf.ConfigObject;
import dev.hotconf.bind.Binder;
import dev.hotconf.bind.Bound;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a {@link SourceProvider} gets besides the entry's settings: the entry's key ({@code
 * sources[1]}, or {@code hotconf.sources[1]} in a framework adapter) for messages, the binder to
 * read it with, and the environment to look variables up in ({@code token-env}).
 *
 * <p>Immutable and thread-safe; the {@code with} methods return copies. Arguments must not be null.
 */
public final class SourceContext {
  private final String key;
  private final Binder binder;
  private final UnaryOperator<String> environment;

  private SourceContext(String key, Binder binder, UnaryOperator<String> environment) {
    this.key = Objects.requireNonNull(key, "key");
    this.binder = Objects.requireNonNull(binder, "binder");
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * A context for the entry at {@code key}: a {@link Binder#strict() strict} binder, the process
   * environment.
   */
  public static SourceContext of(String key) {
    return new SourceContext(key, Binder.strict(), System::getenv);
  }

  public SourceContext withBinder(Binder binder) {
    return new SourceContext(key, binder, environment);
  }

  /** Looks environment variables up with {@code environment} (null for unset) instead. */
  public SourceContext withEnvironment(UnaryOperator<String> environment) {
    return new SourceContext(key, binder, environment);
  }

  /** Where the entry is, e.g. {@code sources[1]}; problems about it carry keys below this one. */
  public String key() {
    return key;
  }

  public Binder binder() {
    return binder;
  }

  /** The environment variables' lookup: a name to its value, or null when unset. */
  public UnaryOperator<String> environment() {
    return environment;
  }

  /** Binds the entry to {@code type} at {@link #key()} (a shortcut for the binder's tryBind). */
  public <T> Bound<T> bind(ConfigObject settings, Class<T> type) {
    return binder.tryBind(settings, key, type);
  }
}
