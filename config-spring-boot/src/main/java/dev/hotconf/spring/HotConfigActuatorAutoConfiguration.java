package dev.hotconf.spring;

import dev.hotconf.HotConfig;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code hotconf} actuator endpoint and the Micrometer meters, when the application has them.
 * Both packages used here are the same on Boot 3.5 and 4.0; the health contributor, whose API
 * moved, has one auto-configuration per line ({@link HotConfigHealthAutoConfiguration}, {@link
 * HotConfigBoot4HealthAutoConfiguration}).
 */
@AutoConfiguration(after = HotConfigAutoConfiguration.class)
@Conditional(OnHotConfigCondition.class)
public class HotConfigActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
      })
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnAvailableEndpoint
    HotConfigEndpoint hotConfigEndpoint(Environment environment) {
      return new HotConfigEndpoint(OnHotConfigCondition.runtime(environment));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {
    @Bean
    HotConfigMetrics hotConfigMetrics(HotConfig hotConfig) {
      return new HotConfigMetrics(hotConfig);
    }
  }
}
