package dev.hotconf.spring;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.source.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Reads every {@code hotconf.*} property of a Spring environment into a hotconf tree, each value
 * with the origin Spring knows for it ({@code application.yaml:12:5}, {@code System property
 * hotconf.strict}), so that hotconf's binder reports problems where the user wrote the value. The
 * first property source that has a key wins, as in Spring; names are Spring's canonical form
 * ({@code hotconf.sources[0].token-file}), so {@code HOTCONF_SOURCES_0_PATH} in the environment
 * works like {@code hotconf.sources[0].path}. {@code ${...}} placeholders in values are resolved.
 * Stateless.
 */
final class SpringSettingsReader {
  static final String PREFIX = "hotconf";
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);
  static final String ORIGIN_SOURCE = "spring";

  private SpringSettingsReader() {}

  /** Whether any {@code hotconf.*} property is set. */
  static boolean anySet(ConfigurableEnvironment environment) {
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable
          && iterable.stream().anyMatch(ROOT::isAncestorOf)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code hotconf} object (keys below {@code hotconf.}, e.g. {@code sources[0].path}).
   *
   * @throws ConfigException when a placeholder cannot be resolved or keys collide
   */
  static ConfigObject read(ConfigurableEnvironment environment) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, ConfigOrigin> origins = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)
          || source.getUnderlyingSource() instanceof HotConfigPropertySource) {
        continue;
      }
      iterable.stream()
          .filter(ROOT::isAncestorOf)
          .forEach(
              name -> {
                String key = name.toString().substring(PREFIX.length() + 1);
                if (values.containsKey(key)) {
                  return; // a source earlier in the environment has it
                }
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property == null || property.getValue() == null) {
                  return;
                }
                ConfigOrigin origin = origin(property.getOrigin(), name);
                Object value = property.getValue();
                if (value instanceof OriginTrackedValue tracked) {
                  value = tracked.getValue();
                }
                String text = String.valueOf(value);
                try {
                  text = environment.resolveRequiredPlaceholders(text);
                } catch (IllegalArgumentException e) {
                  problems.add(Problem.at(name.toString(), origin, e.getMessage()));
                }
                values.put(key, text);
                origins.put(key, origin);
              });
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return Trees.fromStrings(values, origins, ConfigOrigin.of(ORIGIN_SOURCE, PREFIX));
  }

  /**
   * Spring's origin as a hotconf one: a text resource gives its file and position (Spring's 0-based
   * line and column become 1-based), anything else its description.
   */
  static ConfigOrigin origin(Origin origin, ConfigurationPropertyName name) {
    // a property source's origin wraps the value's own (application.yaml's TextResourceOrigin)
    for (int i = 0; i < 8 && origin instanceof OriginProvider p && p.getOrigin() != null; i++) {
      if (p.getOrigin() == origin) {
        break;
      }
      origin = p.getOrigin();
    }
    if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
      String location = describe(text.getResource());
      TextResourceOrigin.Location at = text.getLocation();
      return at == null
          ? ConfigOrigin.of(ORIGIN_SOURCE, location)
          : ConfigOrigin.of(ORIGIN_SOURCE, location, at.getLine() + 1, at.getColumn() + 1);
    }
    return ConfigOrigin.of(ORIGIN_SOURCE, origin == null ? name.toString() : origin.toString());
  }

  private static String describe(Resource resource) {
    if (resource instanceof ClassPathResource cp) {
      return cp.getPath();
    }
    if (resource.isFile()) {
      try {
        return resource.getFile().getPath();
      } catch (java.io.IOException e) {
        return resource.getDescription();
      }
    }
    return resource.getDescription();
  }
}
