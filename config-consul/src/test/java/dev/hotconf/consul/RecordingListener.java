package dev.hotconf.consul;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.source.SourceListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a source delivers, in order. Thread-safe. */
class RecordingListener implements SourceListener {

  sealed interface Event permits Content, Missing, Failure {}

  record Content(ConfigObject content) implements Event {}

  record Missing(String reason) implements Event {}

  record Failure(ConfigException error) implements Event {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<Long> failureNanos = new CopyOnWriteArrayList<>();

  @Override
  public void onContent(ConfigObject content) {
    events.add(new Content(content));
  }

  @Override
  public void onMissing(String reason) {
    events.add(new Missing(reason));
  }

  @Override
  public void onFailure(ConfigException error) {
    failureNanos.add(System.nanoTime());
    events.add(new Failure(error));
  }

  /** {@link System#nanoTime()} when each failure was heard, in order. */
  List<Long> failureTimes() {
    return List.copyOf(failureNanos);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  int size() {
    return events.size();
  }

  List<ConfigObject> contents() {
    return events.stream()
        .filter(Content.class::isInstance)
        .map(e -> ((Content) e).content())
        .toList();
  }

  List<String> failures() {
    return events.stream()
        .filter(Failure.class::isInstance)
        .map(e -> ((Failure) e).error().getMessage())
        .toList();
  }

  List<String> missing() {
    return events.stream()
        .filter(Missing.class::isInstance)
        .map(e -> ((Missing) e).reason())
        .toList();
  }

  Event last() {
    List<Event> all = events();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** The last delivered content as plain Java, or null when none yet. */
  Object lastContent() {
    List<ConfigObject> c = contents();
    return c.isEmpty() ? null : c.get(c.size() - 1).unwrapped();
  }

  /** Events after index {@code from}. */
  List<Event> since(int from) {
    List<Event> all = events();
    return all.subList(Math.min(from, all.size()), all.size());
  }
}
