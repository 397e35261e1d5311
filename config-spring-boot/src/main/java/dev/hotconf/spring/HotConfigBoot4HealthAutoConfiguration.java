package dev.hotconf.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The {@code hotconf} health contributor on Boot 4.0, whose health API moved to {@code
 * org.springframework.boot.health.contributor} (module {@code spring-boot-health}). Compiled
 * against that module, loaded only when it is present. Disable with {@code
 * management.health.hotconf.enabled=false}.
 */
@AutoConfiguration(after = HotConfigAutoConfiguration.class)
@Conditional(OnHotConfigCondition.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("hotconf")
public class HotConfigBoot4HealthAutoConfiguration {

  @Bean
  Boot4HealthIndicator hotconfHealthIndicator(Environment environment) {
    return new Boot4HealthIndicator(OnHotConfigCondition.runtime(environment));
  }

  /** {@link HotConfigHealth} as a Boot 4.0 health indicator. */
  static final class Boot4HealthIndicator extends AbstractHealthIndicator {
    private final HotConfigRuntime runtime;

    Boot4HealthIndicator(HotConfigRuntime runtime) {
      super("hotconf health check failed");
      this.runtime = runtime;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
      HotConfigHealth health = HotConfigHealth.of(runtime);
      builder.status(health.status()).withDetails(health.details());
    }
  }
}
