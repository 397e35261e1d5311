package dev.hotconf.spring;

import dev.hotconf.ConfigChange;
import dev.hotconf.ConfigDiff;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import org.springframework.context.ApplicationEvent;

/**
 * A new configuration version went live. Published to the application context for every version
 * after the first, on one of hotconf's listener threads, in version order; {@code @EventListener}
 * methods receive it.
 *
 * <pre>{@code
 * @EventListener
 * void on(HotConfigChangedEvent event) {
 *   log.info("config version {}:\n{}", event.version(), event.diff());   // secrets redacted
 * }
 * }</pre>
 *
 * <p>The diff's text ({@link ConfigDiff#toString()}, and so {@link #toString()}) shows secret
 * values as {@code <redacted>}; the {@link dev.hotconf.KeyChange} values themselves are the
 * configuration, as the application can read it anyway. Immutable and thread-safe.
 */
public final class HotConfigChangedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;
  private final transient ConfigChange change;

  public HotConfigChangedEvent(HotConfig source, ConfigChange change) {
    super(source);
    this.change = change;
  }

  /** The version that went live. */
  public long version() {
    return change.current().version();
  }

  /** The version it replaced. */
  public long previousVersion() {
    return change.previous() == null ? 0 : change.previous().version();
  }

  /** The new live snapshot. */
  public ConfigSnapshot snapshot() {
    return change.current();
  }

  /** What changed: added, removed and changed keys, sorted. */
  public ConfigDiff diff() {
    return change.diff();
  }

  /** The change as hotconf's listeners see it. */
  public ConfigChange change() {
    return change;
  }

  @Override
  public HotConfig getSource() {
    return (HotConfig) super.getSource();
  }

  @Override
  public String toString() {
    return "HotConfigChangedEvent{version "
        + previousVersion()
        + " -> "
        + version()
        + ":\n"
        + change.diff()
        + "}";
  }
}
