package dev.hotconf.spring;

import dev.hotconf.HotConfig;
import dev.hotconf.Registration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes hotconf's changes and failures as {@link HotConfigChangedEvent} and {@link
 * HotConfigFailedEvent} while the application context runs: from its start (when every
 * {@code @EventListener} is registered) until it stops. Thread-safe.
 */
final class HotConfigEventPublisher implements SmartLifecycle {
  private final HotConfig config;
  private final ApplicationEventPublisher publisher;
  private final List<Registration> registrations = new ArrayList<>();

  HotConfigEventPublisher(HotConfig config, ApplicationEventPublisher publisher) {
    this.config = config;
    this.publisher = publisher;
  }

  @Override
  public synchronized void start() {
    if (registrations.isEmpty()) {
      registrations.add(
          config.onChange(
              change -> publisher.publishEvent(new HotConfigChangedEvent(config, change))));
      registrations.add(
          config.onFailure(
              failure -> publisher.publishEvent(new HotConfigFailedEvent(config, failure))));
    }
  }

  @Override
  public synchronized void stop() {
    registrations.forEach(Registration::close);
    registrations.clear();
  }

  @Override
  public synchronized boolean isRunning() {
    return !registrations.isEmpty();
  }
}
