package dev.hotconf.spring;

import dev.hotconf.HotConfig;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The beans of a running hotconf (started before the context by {@link
 * HotConfigApplicationListener}): the {@link HotConfig}, a {@code Setting<T>} per {@link
 * HotConfigProperties} record, and the publisher of {@link HotConfigChangedEvent} and {@link
 * HotConfigFailedEvent}. Active only while hotconf runs in the application.
 */
@AutoConfiguration
@Conditional(OnHotConfigCondition.class)
@Import(HotConfigPropertiesRegistrar.class)
public class HotConfigAutoConfiguration {

  /** The application's HotConfig; closed with the application context (not by this bean). */
  @Bean(destroyMethod = "")
  public HotConfig hotConfig(Environment environment) {
    return OnHotConfigCondition.runtime(environment).config();
  }

  @Bean
  LiveRecords hotConfigLiveRecords(
      Environment environment, ObjectProvider<RecordConstraints> constraints) {
    return new LiveRecords(OnHotConfigCondition.runtime(environment), constraints.getIfAvailable());
  }

  @Bean
  HotConfigEventPublisher hotConfigEventPublisher(
      HotConfig hotConfig, ApplicationEventPublisher publisher) {
    return new HotConfigEventPublisher(hotConfig, publisher);
  }

  /** Live records' Jakarta Bean Validation constraints, when a provider is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "jakarta.validation.Validator")
  static class BeanValidation {
    private static final Logger LOG = LoggerFactory.getLogger(HotConfigAutoConfiguration.class);

    /**
     * The application's Jakarta validator when it has exactly one (Boot's, from {@code
     * spring-boot-starter-validation}), else one of hotconf's own when a provider is present.
     */
    @Bean(destroyMethod = "close")
    OwnedJakartaConstraints hotConfigRecordConstraints(
        ObjectProvider<jakarta.validation.Validator> validators) {
      jakarta.validation.Validator shared = validators.getIfUnique();
      if (shared != null) {
        return new OwnedJakartaConstraints(new JakartaRecordConstraints(shared), null);
      }
      try {
        ValidatorFactory factory = Validation.buildDefaultValidatorFactory();
        return new OwnedJakartaConstraints(
            new JakartaRecordConstraints(factory.getValidator()), factory);
      } catch (RuntimeException e) {
        LOG.info(
            "hotconf: jakarta.validation is on the class path but no provider could start ({});"
                + " live records' constraints are not checked",
            e.toString());
        return null;
      }
    }
  }
}
