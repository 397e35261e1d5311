package dev.hotconf.bind;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigValueException;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.internal.RecordConverter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The outcome of a {@link Binder#tryBind binding}: the value, or the problems that prevented it;
 * and a place to add more problems at the values they concern. The second use is how a module turns
 * its builder's {@link IllegalArgumentException}s into problems at the offending value:
 *
 * <pre>{@code
 * Bound<Entry> bound = Binder.strict().tryBind(settings, "sources[0]", Entry.class);
 * if (bound.ok()) {
 *   Entry e = bound.value();
 *   FileSourceConfig.Builder b = FileSourceConfig.builder();
 *   e.debounce().ifPresent(d -> bound.apply("debounce", () -> b.debounce(d)));
 *   FileSourceConfig config = bound.supply(null, b::build);   // a cross-key rule: at the entry
 * }
 * return bound.orThrow();   // every problem at once, each with its line:col
 * }</pre>
 *
 * <p>Components are named as in Java ({@code maxWait}); problems carry the key as written ({@code
 * sources[0].max-wait}) at its value's origin, or at the bound object's when the key is absent.
 * Builder messages are used as they are: builders must not echo secret values (hotconf's do not).
 *
 * <p>Not thread-safe.
 */
public final class Bound<T> {
  private final ConfigNode node;
  private final String key;
  private final T value;
  private final List<Problem> problems;
  private final Redactor redactor;

  private final RecordConverter record;

  Bound(
      ConfigNode node,
      String key,
      T value,
      List<Problem> problems,
      Redactor redactor,
      RecordConverter record) {
    this.node = node;
    this.record = record;
    this.key = key;
    this.value = value;
    this.problems = new ArrayList<>(problems);
    this.redactor = redactor;
  }

  /** The bound value; null when binding found problems (or for a null scalar bound as Object). */
  public T value() {
    return value;
  }

  /** Whether no problem was found or added. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** Every problem so far, in the order found. */
  public List<Problem> problems() {
    return Collections.unmodifiableList(problems);
  }

  /**
   * The value, if there is no problem.
   *
   * @throws ConfigValueException listing every problem
   */
  public T orThrow() {
    if (!problems.isEmpty()) {
      throw new ConfigValueException(problems);
    }
    return value;
  }

  /**
   * Runs {@code action} (e.g. a builder call with the component's value); an {@link
   * IllegalArgumentException} it throws becomes a problem at the component's value. {@code
   * component} null means the whole object.
   */
  public void apply(String component, Runnable action) {
    supply(
        component,
        () -> {
          action.run();
          return Boolean.TRUE;
        });
  }

  /**
   * As {@link #apply}, returning what {@code action} returns, or null after it threw {@link
   * IllegalArgumentException}.
   */
  public <R> R supply(String component, Supplier<R> action) {
    Objects.requireNonNull(action, "action");
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      problem(component, e.getMessage() == null ? "is not valid" : e.getMessage());
      return null;
    }
  }

  /** Adds a problem at the component's value ({@code null}: at the whole object). */
  public void problem(String component, String message) {
    problems.add(Problem.at(key(component), origin(component), message));
  }

  /**
   * The key of the component as written ({@code sources[0].max-wait}); {@code null}: the bound
   * node's.
   *
   * @throws IllegalArgumentException when the bound type is not a record with that component
   */
  public String key(String component) {
    String k =
        component == null
            ? key
            : record().keyOf(node instanceof ConfigObject o ? o : null, key, component);
    return k.isEmpty() ? null : k;
  }

  /**
   * The origin of the component's value, or of the bound node when it is absent.
   *
   * @throws IllegalArgumentException when the bound type is not a record with that component
   */
  public ConfigOrigin origin(String component) {
    if (component != null) {
      ConfigNode n = node instanceof ConfigObject obj ? record().nodeOf(obj, component) : null;
      if (n != null) {
        return n.origin();
      }
    }
    return node.origin();
  }

  private RecordConverter record() {
    if (record == null) {
      throw new IllegalArgumentException("components exist only when binding a record");
    }
    return record;
  }

  /** The redactor of the binder that produced this (for messages that show values). */
  public Redactor redactor() {
    return redactor;
  }
}
