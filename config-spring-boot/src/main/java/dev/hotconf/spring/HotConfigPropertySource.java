package dev.hotconf.spring;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.EnumerablePropertySource;

/*
 * Design: a view of the live snapshot for Spring's Environment. getProperty must cost what a
 * MapPropertySource costs (one HashMap lookup), so each snapshot is turned once, on first use, into
 * a View: a HashMap from dotted key (servers[0].host as Spring writes it) to the scalar's text, its
 * origins and the sorted name array Spring's configuration-property machinery caches by identity.
 * A read compares the live snapshot with the view's (one volatile read each) and rebuilds when
 * they differ, so Environment.getProperty sees a new version the moment it is published, not when
 * a listener gets round to it. Two threads may both rebuild after a publication; they build equal
 * views and either one wins.
 */

/**
 * The live configuration as a Spring {@link org.springframework.core.env.PropertySource}, named
 * {@value #NAME}: {@code Environment.getProperty("db.pool.max")}, {@code @Value} and
 * {@code @ConfigurationProperties} binding read hotconf's values, and {@code getProperty} always
 * answers from the snapshot that is live at the time of the call.
 *
 * <p>Values are the scalars' text as written ({@code 01234} stays {@code "01234"}); lists appear as
 * indexed keys ({@code servers[0].host}), the form Spring binds lists from. Null values, empty
 * objects and empty lists are absent. Origins ({@link #getOrigin}) are hotconf's, e.g. {@code
 * /etc/app/app.yaml:12:5}, so Spring's failure reports and the {@code env} endpoint show where a
 * value was written.
 *
 * <p>Thread-safe; reads take no lock and allocate nothing once a snapshot's view is built.
 */
public final class HotConfigPropertySource extends EnumerablePropertySource<HotConfig>
    implements OriginLookup<String> {
  /** The property source's name in the {@link org.springframework.core.env.Environment}. */
  public static final String NAME = "hotconf";

  private final HotConfigRuntime runtime;
  private volatile View view;

  /**
   * @param runtime the runtime it belongs to (found through the environment); null in tests
   */
  HotConfigPropertySource(HotConfig config, HotConfigRuntime runtime) {
    super(NAME, config);
    this.runtime = runtime;
    this.view = View.of(config.snapshot());
  }

  /** The runtime whose configuration this is (null only in tests). */
  HotConfigRuntime runtime() {
    return runtime;
  }

  @Override
  public Object getProperty(String name) {
    return view().values.get(name);
  }

  @Override
  public boolean containsProperty(String name) {
    return view().values.containsKey(name);
  }

  /** The live keys, sorted. The same array is returned until a new version is published. */
  @Override
  public String[] getPropertyNames() {
    return view().names;
  }

  @Override
  public Origin getOrigin(String name) {
    ConfigOrigin origin = view().origins.get(name);
    return origin == null ? null : new HotConfigOrigin(origin);
  }

  private View view() {
    View v = view;
    ConfigSnapshot live = source.snapshot();
    if (v.snapshot != live) {
      v = View.of(live);
      view = v;
    }
    return v;
  }

  /** One snapshot's values as Spring reads them. Immutable. */
  private static final class View {
    final ConfigSnapshot snapshot;
    final Map<String, String> values;
    final Map<String, ConfigOrigin> origins;
    final String[] names;

    private View(
        ConfigSnapshot snapshot,
        Map<String, String> values,
        Map<String, ConfigOrigin> origins,
        String[] names) {
      this.snapshot = snapshot;
      this.values = values;
      this.origins = origins;
      this.names = names;
    }

    static View of(ConfigSnapshot snapshot) {
      Map<String, String> values = new HashMap<>();
      Map<String, ConfigOrigin> origins = new HashMap<>();
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, ConfigNode> e : snapshot.values().entrySet()) {
        // values() holds leaves: scalars, and empty objects or lists (absent for Spring)
        if (e.getValue() instanceof ConfigScalar s && !s.isNull()) {
          values.put(e.getKey(), s.text());
          origins.put(e.getKey(), s.origin());
          names.add(e.getKey()); // values() is sorted, so names are too
        }
      }
      return new View(snapshot, values, origins, names.toArray(new String[0]));
    }
  }

  /** A hotconf origin as a Spring {@link Origin}: renders {@code file:line:col}. */
  static final class HotConfigOrigin implements Origin {
    private final ConfigOrigin origin;

    HotConfigOrigin(ConfigOrigin origin) {
      this.origin = origin;
    }

    /** The hotconf origin. */
    ConfigOrigin origin() {
      return origin;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HotConfigOrigin other && origin.equals(other.origin);
    }

    @Override
    public int hashCode() {
      return origin.hashCode();
    }

    @Override
    public String toString() {
      return origin.toString();
    }
  }
}
