package dev.hotconf.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/*
 * Design: why a listener and not an EnvironmentPostProcessor. Boot 4.0 moved
 * EnvironmentPostProcessor from org.springframework.boot.env to org.springframework.boot (the old
 * type is deprecated, and Boot 4 loads both spring.factories keys). A listener for
 * ApplicationEnvironmentPreparedEvent, registered under org.springframework.context.
 * ApplicationListener, is the same type on Boot 3.5 and 4.0 and runs at the same moment: right
 * after EnvironmentPostProcessorApplicationListener (HIGHEST_PRECEDENCE + 10) has run every
 * post-processor, so application.yaml and profiles are loaded; and after LoggingApplicationListener
 * (+ 20), so hotconf's start-up logs go through the application's logging. Ownership: the
 * SpringApplication whose environment event started hotconf owns it; its context (recorded at
 * ApplicationPreparedEvent) closing, or the run failing, closes it. A child application sharing
 * the parent's environment finds the runtime already there and neither starts nor closes it.
 */

/**
 * Starts hotconf before the application context is created and stops it with the context.
 * Registered in {@code META-INF/spring.factories}; not for direct use.
 */
public final class HotConfigApplicationListener implements SmartApplicationListener {
  /** After config data (+10) and logging (+20) are set up. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 25;

  // one instance per SpringApplication (spring.factories instances are made per application)
  private volatile HotConfigRuntime started;
  private volatile ApplicationContext context;

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
    return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
        || ApplicationPreparedEvent.class.isAssignableFrom(type)
        || ApplicationFailedEvent.class.isAssignableFrom(type)
        || ContextClosedEvent.class.isAssignableFrom(type);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      start(prepared.getEnvironment(), prepared.getSpringApplication());
    } else if (event instanceof ApplicationPreparedEvent prepared) {
      context = prepared.getApplicationContext();
    } else if (event instanceof ApplicationFailedEvent) {
      stop();
    } else if (event instanceof ContextClosedEvent closed
        && closed.getApplicationContext() == context) {
      stop();
    }
  }

  private void start(ConfigurableEnvironment environment, SpringApplication application) {
    if (started != null || OnHotConfigCondition.running(environment)) {
      return; // a child application: its parent's hotconf serves it
    }
    String name = environment.getProperty("spring.application.name", "spring");
    started =
        HotConfigRuntime.start(
            environment, name.isBlank() ? "spring" : name, application.getClassLoader());
  }

  private void stop() {
    HotConfigRuntime runtime = started;
    if (runtime != null) {
      runtime.close();
    }
  }
}
