package dev.hotconf.microprofile;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.spi.ConfigSource;

/*
 * Design: like the Spring property source, a per-snapshot View (a HashMap of key -> text and the
 * key set) rebuilt on first use after a version goes live, compared by snapshot identity, so a
 * read costs one HashMap lookup and always answers from the live version. Lists of scalars are
 * offered both as indexed keys (hosts[0]) and, as MicroProfile expects for arrays, as one value
 * with commas (hosts = a,b; commas inside an element escaped as \,).
 */

/**
 * A MicroProfile Config {@link ConfigSource} backed by hotconf's live, validated snapshot: {@code
 * Config.getValue("db.pool.max", Integer.class)} returns the value of the version live at the time
 * of the call; a rejected version never shows. Usually created by {@link HotConfigSourceProvider}
 * from {@code hotconf.yaml}; {@link #create} builds one from settings directly.
 *
 * <p>{@link #config()} is the underlying {@link HotConfig}, for hotconf's own accessors, listeners
 * and status. {@link #close()} stops its sources and threads; MicroProfile has no hook to do that,
 * so the source lives as long as the application unless closed.
 *
 * <p>Thread-safe; reads take no lock.
 */
public final class HotConfigSource implements ConfigSource, AutoCloseable {
  /** The source's {@linkplain #getName() name}. */
  public static final String NAME = "hotconf";

  private final HotConfig config;
  private final int ordinal;
  private volatile View view;

  HotConfigSource(HotConfig config, int ordinal) {
    this.config = Objects.requireNonNull(config, "config");
    this.ordinal = ordinal;
    this.view = View.of(config.snapshot());
  }

  /**
   * Reads hotconf settings (YAML, JSON or properties, by extension, else YAML; keys as in {@link
   * MicroProfileSettings}) from {@code file}, starts hotconf and waits for the first valid
   * configuration. Relative paths in the settings resolve against the file's folder.
   *
   * @throws dev.hotconf.ConfigException every problem of the settings (at {@code file:line:col}) or
   *     of the first configuration
   * @throws IOException when the file cannot be read
   */
  public static HotConfigSource create(Path file) throws IOException {
    return create(
        ConfigFormat.forFileName(file.getFileName().toString())
            .orElse(ConfigFormat.YAML)
            .parse(Files.readAllBytes(file), ConfigOrigin.ofFile(NAME, file)),
        Assembler.defaults());
  }

  /**
   * Reads YAML settings from a resource (e.g. {@code META-INF/hotconf.yaml}) named {@code location}
   * in messages; relative paths resolve against the working directory.
   */
  static HotConfigSource create(InputStream in, String location, ClassLoader loader)
      throws IOException {
    return create(
        ConfigFormat.YAML.parse(in.readAllBytes(), ConfigOrigin.of(NAME, location)),
        Assembler.defaults().withClassLoader(loader));
  }

  private static HotConfigSource create(ConfigObject settings, Assembler assembler) {
    try (Assembly<MicroProfileSettings> assembly =
        assembler.assemble(settings, "", MicroProfileSettings.class)) {
      HotConfig config = assembly.builder().name("microprofile").build();
      return new HotConfigSource(config, assembly.settings().ordinal());
    }
  }

  /** The hotconf behind this source. */
  public HotConfig config() {
    return config;
  }

  @Override
  public String getName() {
    return NAME;
  }

  /** The {@code ordinal} of the settings ({@value MicroProfileSettings#DEFAULT_ORDINAL}). */
  @Override
  public int getOrdinal() {
    return ordinal;
  }

  @Override
  public String getValue(String propertyName) {
    return view().values.get(propertyName);
  }

  /** The live keys; the same set until a new version goes live. Unmodifiable. */
  @Override
  public Set<String> getPropertyNames() {
    return view().names;
  }

  /** The live keys and values. Unmodifiable. */
  @Override
  public Map<String, String> getProperties() {
    return view().values;
  }

  @Override
  public void close() {
    config.close();
  }

  @Override
  public String toString() {
    return "HotConfigSource[ordinal=" + ordinal + ", version=" + config.version() + "]";
  }

  private View view() {
    View v = view;
    ConfigSnapshot live = config.snapshot();
    if (v.snapshot != live) {
      v = View.of(live);
      view = v;
    }
    return v;
  }

  private static final class View {
    final ConfigSnapshot snapshot;
    final Map<String, String> values;
    final Set<String> names;

    private View(ConfigSnapshot snapshot, Map<String, String> values) {
      this.snapshot = snapshot;
      this.values = Collections.unmodifiableMap(values);
      this.names = Collections.unmodifiableSet(new TreeSet<>(values.keySet()));
    }

    static View of(ConfigSnapshot snapshot) {
      Map<String, String> values = new HashMap<>();
      for (Map.Entry<String, ConfigNode> e : snapshot.values().entrySet()) {
        if (e.getValue() instanceof ConfigScalar s && !s.isNull()) {
          values.put(e.getKey(), s.text());
        }
      }
      addLists("", snapshot.root(), values);
      return new View(snapshot, values);
    }

    /** A list of scalars also as one comma-separated value under its own key. */
    private static void addLists(String key, ConfigNode node, Map<String, String> out) {
      if (node instanceof ConfigObject o) {
        o.entries().forEach((k, v) -> addLists(key.isEmpty() ? k : key + "." + k, v, out));
      } else if (node instanceof ConfigList list && list.size() > 0) {
        StringBuilder joined = new StringBuilder();
        boolean scalars = true;
        for (int i = 0; i < list.size(); i++) {
          ConfigNode element = list.get(i);
          if (element instanceof ConfigScalar s && !s.isNull()) {
            joined.append(i == 0 ? "" : ",").append(s.text().replace(",", "\\,"));
          } else {
            scalars = false;
            addLists(key + "[" + i + "]", element, out);
          }
        }
        if (scalars) {
          out.put(key, joined.toString());
        }
      }
    }
  }
}
