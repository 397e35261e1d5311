package dev.hotconf.spring;

import dev.hotconf.ConfigFailure;
import dev.hotconf.HotConfig;
import org.springframework.context.ApplicationEvent;

/**
 * A new version was rejected ({@link ConfigFailure.Kind#REJECTED}: every problem with its {@code
 * file:line:col}; the live version stays), or a source failed or lost its content (its last good
 * content stays in use). Published like {@link HotConfigChangedEvent}, in order, on one of
 * hotconf's listener threads. Problems never contain secret values. Immutable and thread-safe.
 */
public final class HotConfigFailedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;
  private final transient ConfigFailure failure;

  public HotConfigFailedEvent(HotConfig source, ConfigFailure failure) {
    super(source);
    this.failure = failure;
  }

  /** What went wrong, with every problem. */
  public ConfigFailure failure() {
    return failure;
  }

  /** Whether a new version was rejected (rather than a source failing). */
  public boolean isRejection() {
    return failure.kind() == ConfigFailure.Kind.REJECTED;
  }

  @Override
  public HotConfig getSource() {
    return (HotConfig) super.getSource();
  }

  @Override
  public String toString() {
    return "HotConfigFailedEvent{" + failure + "}";
  }
}
