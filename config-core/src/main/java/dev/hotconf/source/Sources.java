package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Factories for the built-in sources: in-memory maps and texts, classpath resources, and
 * environment variables / system properties as an explicit override layer.
 *
 * <h2>Environment name mapping</h2>
 *
 * {@code environment("APP_")} maps every variable starting with {@code APP_}: the prefix is
 * removed, the rest lower-cased, {@code __} (double underscore) becomes {@code -} and {@code _}
 * becomes {@code .}. So {@code APP_DB_POOL_SIZE} sets {@code db.pool.size} and {@code
 * APP_HTTP_READ__TIMEOUT} sets {@code http.read-timeout}. Values are typed like plain YAML scalars
 * ({@code 20} is an integer, {@code true} a boolean, anything else a string).
 *
 * <h2>System property mapping</h2>
 *
 * {@code systemProperties("app.")} maps every property starting with {@code app.}, prefix removed:
 * {@code -Dapp.db.pool.size=20} sets {@code db.pool.size}.
 *
 * <p>Environment and system properties are read once, at start. Put them last in the builder so
 * that they override files and Consul.
 */
public final class Sources {
  private Sources() {}

  /** A fixed or updatable in-memory source from nested maps or dotted keys. */
  public static MemorySource memory(String name, Map<String, ?> values) {
    try {
      return new MemorySource(name, Trees.fromMap(values, ConfigOrigin.of(name, name)), null);
    } catch (ConfigException e) {
      return new MemorySource(name, null, e);
    }
  }

  /** An in-memory source parsed from a document text. */
  public static MemorySource text(String name, ConfigFormat format, String text) {
    try {
      return new MemorySource(
          name,
          format.parse(text.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of(name, name)),
          null);
    } catch (ConfigException e) {
      return new MemorySource(name, format, text, e);
    }
  }

  /**
   * A classpath resource, read once at start, format by extension. A missing resource is a failure
   * (which stops {@code build()} with a clear message): defaults shipped in the jar are expected to
   * be there.
   */
  public static ConfigSource classpath(String resource) {
    return classpath(
        resource,
        Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader()
            : Sources.class.getClassLoader());
  }

  /** A classpath resource from a given class loader. */
  public static ConfigSource classpath(String resource, ClassLoader loader) {
    Objects.requireNonNull(resource, "resource");
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    String name = "classpath:" + path;
    ConfigOrigin origin = ConfigOrigin.of(name, path);
    ConfigFormat format =
        ConfigFormat.forFileName(path)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot tell the format of '"
                            + path
                            + "': use .yaml, .yml, .json or .properties"));
    return new StaticSource(
        name,
        redactor -> {
          try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
              throw new ConfigParseException(origin, "classpath resource not found");
            }
            return format.parse(in.readAllBytes(), origin, ParseLimits.defaults(), redactor);
          } catch (IOException e) {
            throw new ConfigParseException(
                origin, "cannot read classpath resource: " + e.getMessage());
          }
        });
  }

  /** Environment variables starting with {@code prefix} (see the class comment for the mapping). */
  public static ConfigSource environment(String prefix) {
    return environment(prefix, System.getenv());
  }

  /** As {@link #environment(String)} over a given map (for tests and launchers). */
  public static ConfigSource environment(String prefix, Map<String, String> env) {
    Objects.requireNonNull(prefix, "prefix");
    Map<String, String> copy = new TreeMap<>(env);
    String name = "env:" + prefix + "*";
    return new StaticSource(
        name,
        redactor -> {
          Map<String, String> values = new LinkedHashMap<>();
          Map<String, ConfigOrigin> origins = new LinkedHashMap<>();
          copy.forEach(
              (variable, value) -> {
                if (variable.startsWith(prefix) && variable.length() > prefix.length()) {
                  String key = environmentKey(variable.substring(prefix.length()));
                  values.put(key, value);
                  origins.put(key, ConfigOrigin.of(name, "$" + variable));
                }
              });
          return Trees.fromStrings(values, origins, ConfigOrigin.of(name, name));
        });
  }

  /**
   * The key an environment variable (without prefix) maps to: {@code DB_POOL_SIZE} -> {@code
   * db.pool.size}.
   */
  public static String environmentKey(String variable) {
    return variable
        .toLowerCase(Locale.ROOT)
        .replace("__", "\u0000")
        .replace('_', '.')
        .replace('\u0000', '-');
  }

  /** System properties starting with {@code prefix}, prefix removed. */
  public static ConfigSource systemProperties(String prefix) {
    return systemProperties(prefix, System.getProperties());
  }

  /** As {@link #systemProperties(String)} over given properties. */
  public static ConfigSource systemProperties(String prefix, Properties properties) {
    Objects.requireNonNull(prefix, "prefix");
    Map<String, String> copy = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> copy.put(k, properties.getProperty(k)));
    String name = "sysprops:" + prefix + "*";
    return new StaticSource(
        name,
        redactor -> {
          Map<String, String> values = new LinkedHashMap<>();
          Map<String, ConfigOrigin> origins = new LinkedHashMap<>();
          copy.forEach(
              (property, value) -> {
                if (property.startsWith(prefix) && property.length() > prefix.length()) {
                  String key = property.substring(prefix.length());
                  values.put(key, value);
                  origins.put(key, ConfigOrigin.of(name, "-D" + property));
                }
              });
          return Trees.fromStrings(values, origins, ConfigOrigin.of(name, name));
        });
  }

  /** A source read once at start. */
  private static final class StaticSource implements ConfigSource {
    interface Loader {
      ConfigObject load(Redactor redactor);
    }

    private final String name;
    private final Loader loader;

    StaticSource(String name, Loader loader) {
      this.name = name;
      this.loader = loader;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start(SourceListener listener) {
      ConfigObject content;
      try {
        content = loader.load(listener.redactor());
      } catch (ConfigException e) {
        listener.onFailure(e);
        return;
      }
      listener.onContent(content);
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return name;
    }
  }
}
