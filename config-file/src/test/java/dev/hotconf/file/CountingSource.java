package dev.hotconf.file;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wraps a source and records what it delivers, to check the source itself (not the pipeline). */
final class CountingSource implements ConfigSource {
  /** One delivery: content (unwrapped), or a missing/failure marker. */
  record Delivery(String kind, Map<String, Object> content) {}

  private final ConfigSource delegate;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  CountingSource(ConfigSource delegate) {
    this.delegate = delegate;
  }

  List<Delivery> deliveries() {
    return deliveries;
  }

  long contents() {
    return deliveries.stream().filter(d -> d.kind().equals("content")).count();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void start(SourceListener listener) {
    delegate.start(
        new SourceListener() {
          @Override
          public void onContent(ConfigObject content) {
            deliveries.add(new Delivery("content", content.unwrapped()));
            listener.onContent(content);
          }

          @Override
          public void onMissing(String reason) {
            deliveries.add(new Delivery("missing", null));
            listener.onMissing(reason);
          }

          @Override
          public void onFailure(ConfigException error) {
            deliveries.add(new Delivery("failure", null));
            listener.onFailure(error);
          }
        });
  }

  /** A listener that only records (for tests that need any listener). */
  dev.hotconf.source.SourceListener listenerForTest() {
    return new SourceListener() {
      @Override
      public void onContent(ConfigObject content) {
        deliveries.add(new Delivery("content", content.unwrapped()));
      }

      @Override
      public void onMissing(String reason) {
        deliveries.add(new Delivery("missing", null));
      }

      @Override
      public void onFailure(ConfigException error) {
        deliveries.add(new Delivery("failure", null));
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
