package dev.hotconf.validate;

/**
 * Checks a whole candidate configuration before it can be published, reporting every problem it
 * finds to the {@link ValidationContext} (not just the first). A validator that throws is reported
 * as a problem naming it; the candidate is then rejected.
 *
 * <p>Called on the pipeline thread, one candidate at a time; implementations need not be
 * thread-safe unless shared between configs.
 */
@FunctionalInterface
public interface Validator {
  void validate(ValidationContext context);
}
