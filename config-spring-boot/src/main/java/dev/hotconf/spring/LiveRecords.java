package dev.hotconf.spring;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigValueException;
import dev.hotconf.HotConfig;
import dev.hotconf.Setting;
import dev.hotconf.bind.Binder;
import dev.hotconf.bind.Bound;
import dev.hotconf.validate.ValidationContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;

/**
 * Makes the {@code Setting<T>} behind each {@link HotConfigProperties} bean: a hotconf accessor
 * (re-bound once per version) and, when the record declares constraints and Jakarta Bean Validation
 * is available, a rule in the {@link LiveRecordValidator} so that a version violating them is
 * rejected. Thread-safe.
 */
final class LiveRecords implements DisposableBean {
  private final HotConfigRuntime runtime;
  private final RecordConstraints constraints;
  private final List<LiveRecordValidator.Rule> added = new CopyOnWriteArrayList<>();

  /**
   * @param constraints the constraint checker, or null when no Bean Validation is available
   */
  LiveRecords(HotConfigRuntime runtime, RecordConstraints constraints) {
    this.runtime = runtime;
    this.constraints = constraints;
  }

  /**
   * The live setting of {@code type} at {@code prefix}.
   *
   * @throws ConfigValueException when the live configuration does not bind, or violates the
   *     record's constraints (every problem, with its origin)
   * @throws IllegalArgumentException when {@code type} is not a record
   */
  <T> Setting<T> setting(String prefix, Class<T> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(
          "@HotConfigProperties needs a record, but " + type.getName() + " is not one");
    }
    HotConfig config = runtime.config();
    Bound<T> fromDefaults =
        Binder.lenient()
            .withRedactor(config.redactor())
            .tryBind(
                ConfigObject.empty(
                    ConfigOrigin.of(SpringSettingsReader.ORIGIN_SOURCE, "defaults of " + type)),
                prefix,
                type);
    T fallback = fromDefaults.ok() ? fromDefaults.value() : null;
    if (constraints != null && constraints.constrains(type)) {
      // added before the live version is checked: every version published from here on is checked
      LiveRecordValidator.Rule rule =
          new LiveRecordValidator.Rule(prefix, type, fallback, constraints);
      runtime.records().add(rule);
      added.add(rule);
      ValidationContext live = new ValidationContext(config.snapshot(), config.redactor());
      rule.check(live);
      if (!live.problems().isEmpty()) {
        runtime.records().remove(rule);
        added.remove(rule);
        throw new ConfigValueException(live.problems());
      }
    }
    return fallback != null ? config.setting(prefix, type, fallback) : config.setting(prefix, type);
  }

  /**
   * Takes this context's rules out of the validator: a child context that shares its parent's
   * hotconf must not leave its records' constraints (and its validator) behind when it closes.
   */
  @Override
  public void destroy() {
    added.forEach(runtime.records()::remove);
    added.clear();
  }
}
