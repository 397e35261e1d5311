package dev.hotconf.spring;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The {@code hotconf} health contributor on Boot 3.5 (the {@code org.springframework.boot.actuate
 * .health} API, gone in Boot 4.0). Disable with {@code management.health.hotconf.enabled=false}.
 */
@AutoConfiguration(after = HotConfigAutoConfiguration.class)
@Conditional(OnHotConfigCondition.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("hotconf")
public class HotConfigHealthAutoConfiguration {

  @Bean
  Boot3HealthIndicator hotconfHealthIndicator(Environment environment) {
    return new Boot3HealthIndicator(OnHotConfigCondition.runtime(environment));
  }

  /** {@link HotConfigHealth} as a Boot 3.5 health indicator. */
  static final class Boot3HealthIndicator extends AbstractHealthIndicator {
    private final HotConfigRuntime runtime;

    Boot3HealthIndicator(HotConfigRuntime runtime) {
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
