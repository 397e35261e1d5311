package dev.hotconf.spring;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when hotconf runs in this application: its {@link HotConfigPropertySource} is in the
 * environment (hotconf started while the environment was prepared).
 */
final class OnHotConfigCondition implements Condition {
  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return running(context.getEnvironment());
  }

  static boolean running(Environment environment) {
    return runtime(environment) != null;
  }

  /** The runtime whose property source is in {@code environment}, or null. */
  static HotConfigRuntime runtime(Environment environment) {
    return environment instanceof ConfigurableEnvironment ce
            && ce.getPropertySources().get(HotConfigPropertySource.NAME)
                instanceof HotConfigPropertySource source
        ? source.runtime()
        : null;
  }
}
