package dev.hotconf.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses test documents under the origin {@code app.yaml}, {@code app.json} or {@code
 * app.properties}.
 */
final class Parsing {
  private Parsing() {}

  static ConfigOrigin origin(ConfigFormat format) {
    return ConfigOrigin.of("file", "app." + format.name().toLowerCase(java.util.Locale.ROOT));
  }

  static ConfigObject parse(ConfigFormat format, String text) {
    return parse(format, text.getBytes(StandardCharsets.UTF_8), ParseLimits.defaults());
  }

  static ConfigObject parse(ConfigFormat format, byte[] content, ParseLimits limits) {
    return format.parse(content, origin(format), limits);
  }

  static ConfigObject yaml(String text) {
    return parse(ConfigFormat.YAML, text);
  }

  static ConfigObject json(String text) {
    return parse(ConfigFormat.JSON, text);
  }

  static ConfigObject properties(String text) {
    return parse(ConfigFormat.PROPERTIES, text);
  }

  /** The exception parsing {@code text} must throw. */
  static ConfigParseException error(ConfigFormat format, String text) {
    return error(format, text.getBytes(StandardCharsets.UTF_8), ParseLimits.defaults());
  }

  static ConfigParseException error(ConfigFormat format, byte[] content, ParseLimits limits) {
    ConfigParseException e =
        catchThrowableOfType(ConfigParseException.class, () -> parse(format, content, limits));
    assertThat(e).as("%s document must be rejected", format).isNotNull();
    assertThat(e.problems()).isNotEmpty();
    return e;
  }

  static ConfigParseException yamlError(String text) {
    return error(ConfigFormat.YAML, text);
  }

  static ConfigParseException jsonError(String text) {
    return error(ConfigFormat.JSON, text);
  }

  static ConfigParseException propertiesError(String text) {
    return error(ConfigFormat.PROPERTIES, text);
  }

  /** Follows a dotted/indexed path ({@code servers[1].host}) through a parsed tree. */
  static ConfigNode node(ConfigObject root, String path) {
    ConfigNode node = root;
    for (Object segment : dev.hotconf.internal.PathSyntax.parse(path)) {
      if (segment instanceof Integer i) {
        assertThat(node).as("parent of %s", path).isInstanceOf(ConfigList.class);
        node = ((ConfigList) node).get(i);
      } else {
        assertThat(node).as("parent of %s", path).isInstanceOf(ConfigObject.class);
        node = ((ConfigObject) node).get((String) segment);
      }
      assertThat(node).as("node at %s", path).isNotNull();
    }
    return node;
  }

  static ConfigScalar scalar(ConfigObject root, String path) {
    ConfigNode n = node(root, path);
    assertThat(n).as(path).isInstanceOf(ConfigScalar.class);
    return (ConfigScalar) n;
  }

  static Object value(ConfigObject root, String path) {
    return scalar(root, path).value();
  }

  /** line:column of the node at {@code path}. */
  static String position(ConfigObject root, String path) {
    ConfigOrigin o = node(root, path).origin();
    return o.line() + ":" + o.column();
  }

  static byte[] resource(String name) {
    try (InputStream in = Parsing.class.getResourceAsStream("/parse/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /parse/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
