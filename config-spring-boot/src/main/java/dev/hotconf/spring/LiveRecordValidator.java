package dev.hotconf.spring;

import dev.hotconf.ConfigNode;
import dev.hotconf.bind.Binder;
import dev.hotconf.bind.Bound;
import dev.hotconf.validate.ValidationContext;
import dev.hotconf.validate.Validator;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hotconf {@link Validator} through which live records' constraints take part in validation:
 * registered with the {@code HotConfig} when it is built (before any bean exists), it checks the
 * rules that {@link LiveRecords} adds as {@code @HotConfigProperties} beans are created. For each
 * rule it binds the record from the candidate and runs its constraints; a violation is a problem of
 * the candidate like any other, so the whole version is rejected and the application keeps its last
 * good values. A record that does not bind is left to its setting, which reports why.
 *
 * <p>Thread-safe: rules may be added while the pipeline validates.
 */
final class LiveRecordValidator implements Validator {
  private final CopyOnWriteArrayList<Rule> rules = new CopyOnWriteArrayList<>();

  void add(Rule rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
  }

  void remove(Rule rule) {
    rules.remove(rule);
  }

  int size() {
    return rules.size();
  }

  @Override
  public void validate(ValidationContext context) {
    for (Rule rule : rules) {
      rule.check(context);
    }
  }

  /**
   * One live record: where it is bound, its type, what it is when its key is absent (null: then it
   * is required) and its constraints.
   */
  record Rule(String prefix, Class<?> type, Object fallback, RecordConstraints constraints) {
    void check(ValidationContext context) {
      ConfigNode node = context.candidate().node(prefix).orElse(null);
      Object record;
      if (node == null) {
        if (fallback == null) {
          return; // required and absent: the setting reports it
        }
        record = fallback;
      } else {
        Bound<?> bound =
            Binder.lenient().withRedactor(context.redactor()).tryBind(node, prefix, type);
        if (!bound.ok()) {
          return; // the setting reports the conversion problems
        }
        record = bound.value();
      }
      constraints.check(record, prefix, node, context);
    }
  }
}
