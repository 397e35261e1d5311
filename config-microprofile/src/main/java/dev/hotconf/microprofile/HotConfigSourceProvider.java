package dev.hotconf.microprofile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/*
 * Design: MicroProfile builds a Config per class loader, and runtimes (Quarkus, tests) may build
 * several; each asks every provider for its sources. One hotconf per settings location is enough
 * (and starting a second watcher on the same files would only cost), so sources are kept in a
 * static map keyed by the settings' location. A failed start is not kept: the next build tries
 * again and reports again.
 */

/**
 * Adds hotconf's live {@link HotConfigSource} to MicroProfile Config, found through {@link
 * java.util.ServiceLoader} ({@code META-INF/services/org.eclipse.microprofile.config.spi
 * .ConfigSourceProvider}). The settings come from the file named by the system property {@value
 * #SETTINGS_PROPERTY} (or the environment variable {@code HOTCONF_CONFIG}), else from the resource
 * {@value #SETTINGS_RESOURCE} of the application's class loader; with neither, it adds nothing.
 *
 * <p>Invalid settings fail the Config's creation with every problem at its {@code file:line:col},
 * and so does a first configuration that is not valid within {@code start-timeout}. One source is
 * started per settings location and shared by every Config built from it. Thread-safe.
 */
public final class HotConfigSourceProvider implements ConfigSourceProvider {
  /** The system property naming the settings file. */
  public static final String SETTINGS_PROPERTY = "hotconf.config";

  /** The class-path resource read when the property is not set. */
  public static final String SETTINGS_RESOURCE = "META-INF/hotconf.yaml";

  private static final Map<String, HotConfigSource> STARTED = new ConcurrentHashMap<>();

  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;

  /** The provider {@link java.util.ServiceLoader} creates. */
  public HotConfigSourceProvider() {
    this(System::getProperty, System::getenv);
  }

  HotConfigSourceProvider(UnaryOperator<String> properties, UnaryOperator<String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  @Override
  public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
    String file = properties.apply(SETTINGS_PROPERTY);
    if (file == null || file.isBlank()) {
      file = environment.apply("HOTCONF_CONFIG");
    }
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file).toAbsolutePath().normalize();
      return List.of(STARTED.computeIfAbsent("file:" + path, k -> start(path)));
    }
    ClassLoader loader =
        forClassLoader != null ? forClassLoader : HotConfigSourceProvider.class.getClassLoader();
    URL resource = loader.getResource(SETTINGS_RESOURCE);
    if (resource == null) {
      return List.of();
    }
    return List.of(STARTED.computeIfAbsent(resource.toString(), k -> start(resource, loader)));
  }

  private static HotConfigSource start(Path file) {
    try {
      return HotConfigSource.create(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hotconf settings " + file, e);
    }
  }

  private static HotConfigSource start(URL resource, ClassLoader loader) {
    try (InputStream in = resource.openStream()) {
      return HotConfigSource.create(in, "classpath:" + SETTINGS_RESOURCE, loader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hotconf settings " + resource, e);
    }
  }

  /** Closes and forgets every source started so far (for tests and orderly shutdowns). */
  public static void closeAll() {
    STARTED
        .values()
        .removeIf(
            s -> {
              s.close();
              return true;
            });
  }
}
