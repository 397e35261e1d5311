package dev.hotconf.examples.spring;

import dev.hotconf.Setting;
import dev.hotconf.spring.HotConfigChangedEvent;
import dev.hotconf.spring.HotConfigFailedEvent;
import dev.hotconf.spring.HotConfigProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application on hotconf: {@code config/app.yaml} is watched; {@code GET /pool} shows
 * the live {@link Pool} record, {@code GET /greeting} a value read through the Environment. Edit
 * the file and both change without a restart; an edit that breaks a constraint (say {@code max:
 * 9000}) is rejected, the old values stay, and {@code /actuator/health/hotconf} says why, with the
 * file, line and column. Run it from the repository root (see the README).
 */
@SpringBootApplication
public class ExampleApplication {
  private static final Logger LOG = LoggerFactory.getLogger(ExampleApplication.class);

  /** The connection pool's settings: re-bound once per version, checked by its constraints. */
  @HotConfigProperties("shop.pool")
  public record Pool(@Min(1) int min, @Min(1) @Max(500) int max, Duration timeout) {}

  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }

  /** Reads the live values on every request. */
  @RestController
  static class ShopController {
    private final Setting<Pool> pool;
    private final Environment environment;

    ShopController(Setting<Pool> pool, Environment environment) {
      this.pool = pool;
      this.environment = environment;
    }

    @GetMapping("/pool")
    Pool pool() {
      return pool.get();
    }

    @GetMapping("/greeting")
    Map<String, String> greeting() {
      return Map.of("greeting", environment.getProperty("shop.greeting", "(none)"));
    }
  }

  @EventListener
  void on(HotConfigChangedEvent event) {
    LOG.info("configuration version {} is live:\n{}", event.version(), event.diff());
  }

  @EventListener
  void on(HotConfigFailedEvent event) {
    LOG.warn("configuration not applied: {}", event.failure());
  }
}
