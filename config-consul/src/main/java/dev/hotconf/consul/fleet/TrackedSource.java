package dev.hotconf.consul.fleet;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Consul source seen by an acknowledger: every delivery is reported (with the Consul index of its
 * content, read from the origins config-consul gives every value, {@code consul:<key>@<index>})
 * before the pipeline gets it, so the acknowledger knows which index a published or rejected
 * version came from. Everything else is the wrapped source's.
 */
final class TrackedSource implements ConfigSource {

  /** {@code consul:<key>@<ModifyIndex>}, config-consul's origin location. */
  static final Pattern ORIGIN = Pattern.compile("consul:(.+)@([0-9]{1,19})");

  /**
   * One delivery: new content (problems empty) or content that did not parse (content null); the
   * index is 0 when no origin carries one (a transport failure, not a content problem).
   */
  record Delivery(String key, long index, ConfigObject content, List<Problem> problems) {}

  private final ConfigSource delegate;
  private final Consumer<Delivery> observer;

  TrackedSource(ConfigSource delegate, Consumer<Delivery> observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  String delegateName() {
    return delegate.name();
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
            Located l = new Located();
            l.visit(content);
            observer.accept(new Delivery(l.key, l.index, content, List.of()));
            listener.onContent(content);
          }

          @Override
          public void onMissing(String reason) {
            listener.onMissing(reason);
          }

          @Override
          public void onFailure(ConfigException error) {
            Located l = new Located();
            for (Problem p : error.problems()) {
              if (p.origin() != null) {
                l.origin(p.origin());
              }
            }
            if (l.index > 0) {
              observer.accept(new Delivery(l.key, l.index, null, error.problems()));
            }
            listener.onFailure(error);
          }
        });
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The highest {@code consul:<key>@<index>} among origins, and its key. */
  static final class Located {
    String key;
    long index;

    void visit(ConfigNode node) {
      origin(node.origin());
      if (node instanceof ConfigObject o) {
        o.entries().values().forEach(this::visit);
      } else if (node instanceof ConfigList l) {
        l.elements().forEach(this::visit);
      }
    }

    void origin(ConfigOrigin origin) {
      Matcher m = ORIGIN.matcher(origin.location());
      if (m.matches()) {
        long idx = Long.parseLong(m.group(2));
        if (idx >= index) {
          index = idx;
          key = m.group(1);
        }
      }
    }
  }
}
