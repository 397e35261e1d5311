package dev.hotconf.spring;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start that failed on hotconf (bad {@code hotconf.*} settings, no valid configuration in
 * time, a live record that does not bind or violates its constraints) into Boot's failure report:
 * every problem on its own line, each with the {@code file:line:col} of the offending value.
 * Registered in {@code META-INF/spring.factories}; not for direct use.
 */
public final class HotConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    StringBuilder description =
        new StringBuilder(
            cause instanceof ConfigStartupException
                ? "hotconf found no valid configuration within hotconf.start-timeout:\n"
                : "hotconf's settings or configuration are not valid:\n");
    cause.problems().forEach(p -> description.append("\n    ").append(p));
    return new FailureAnalysis(
        description.toString(),
        "Fix the values at the places listed (hotconf.* keys are in the application's own"
            + " configuration; the others in the files or keys hotconf.sources names).",
        cause);
  }
}
