package dev.hotconf.spring.apps.pool;

import dev.hotconf.Setting;
import dev.hotconf.spring.HotConfigChangedEvent;
import dev.hotconf.spring.HotConfigFailedEvent;
import dev.hotconf.spring.HotConfigProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A Spring Boot application as a user writes one: a live record, events, @Value, properties. */
@SpringBootApplication
@EnableConfigurationProperties(PoolApp.Greeting.class)
public class PoolApp {

  /** The live record under test. */
  @HotConfigProperties("db.pool")
  public record Pool(@Min(1) int min, @Min(1) int max, Duration idleTimeout) {}

  /** Bound by Spring at start from the environment (hotconf's property source included). */
  @ConfigurationProperties("app")
  public record Greeting(@NotBlank String greeting) {}

  /** Injects the record both ways, and a value with @Value. */
  @Component
  public static class PoolUser {
    public final Setting<Pool> pool;
    public final Supplier<Pool> supplier;
    public final String url;

    public PoolUser(Setting<Pool> pool, Supplier<Pool> supplier, @Value("${db.url}") String url) {
      this.pool = pool;
      this.supplier = supplier;
      this.url = url;
    }
  }

  /** Records every hotconf event it hears. */
  @Component
  public static class Events {
    public final List<HotConfigChangedEvent> changes = new CopyOnWriteArrayList<>();
    public final List<HotConfigFailedEvent> failures = new CopyOnWriteArrayList<>();

    @EventListener
    public void on(HotConfigChangedEvent event) {
      changes.add(event);
    }

    @EventListener
    public void on(HotConfigFailedEvent event) {
      failures.add(event);
    }
  }
}
