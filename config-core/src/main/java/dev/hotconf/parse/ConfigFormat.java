package dev.hotconf.parse;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Redactor;
import dev.hotconf.internal.JsonDocumentParser;
import dev.hotconf.internal.PropertiesDocumentParser;
import dev.hotconf.internal.YamlDocumentParser;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The document formats hotconf reads. Every format parses to the same kind of tree, with origins,
 * under the same {@link ParseLimits} and the same rules:
 *
 * <ul>
 *   <li>Input must be UTF-8 (a leading BOM is skipped); invalid bytes are an error with their line.
 *   <li>A document is a mapping (or empty, which is an empty config). A scalar or list at the root
 *       is an error. YAML streams with more than one document are an error.
 *   <li>Duplicate keys are an error pointing at the second occurrence.
 *   <li>A dotted key ({@code db.pool.size: 5}) is a path, the same as nested mappings.
 *   <li>Scalars are typed by the YAML 1.2 core schema (see {@link Scalars}).
 *   <li>Error messages quote keys, tags and alias names but never values (nor tag and alias names
 *       under secret keys).
 *   <li>YAML lines may be at most 256 Ki characters (SnakeYAML slows down quadratically on longer
 *       ones); a longer value can be written as a block scalar.
 * </ul>
 *
 * <p>Thread-safe.
 */
public enum ConfigFormat {
  /** YAML 1.2 (core schema) through SnakeYAML, safe and strict. */
  YAML,
  /** Strict JSON (RFC 8259: no comments, no trailing commas). */
  JSON,
  /** Java {@code .properties}, read as UTF-8; keys are paths. */
  PROPERTIES;

  /**
   * Parses a whole document.
   *
   * @param content the raw bytes (UTF-8)
   * @param origin names the document; problems carry it with their line and column
   * @throws ConfigParseException listing every problem found (parsing stops at a syntax error)
   */
  public ConfigObject parse(byte[] content, ConfigOrigin origin, ParseLimits limits) {
    return parse(content, origin, limits, Redactor.defaults());
  }

  /**
   * Parses a whole document; messages leave out what {@code redactor} hides. Parse messages never
   * quote values, but YAML's alias and tag names are document text ({@code password: *abc} is an
   * alias to YAML): they are not quoted under keys {@code redactor} treats as secret.
   *
   * @throws ConfigParseException listing every problem found (parsing stops at a syntax error)
   */
  public ConfigObject parse(
      byte[] content, ConfigOrigin origin, ParseLimits limits, Redactor redactor) {
    Objects.requireNonNull(redactor, "redactor");
    switch (this) {
      case YAML:
        return YamlDocumentParser.parse(content, origin, limits, redactor);
      case JSON:
        return JsonDocumentParser.parse(content, origin, limits);
      case PROPERTIES:
        return PropertiesDocumentParser.parse(content, origin, limits);
      default:
        throw new AssertionError(this);
    }
  }

  /** {@link #parse(byte[], ConfigOrigin, ParseLimits)} with default limits. */
  public ConfigObject parse(byte[] content, ConfigOrigin origin) {
    return parse(content, origin, ParseLimits.defaults());
  }

  /** The format for a file name by its extension ({@code .yaml .yml .json .properties}). */
  public static Optional<ConfigFormat> forFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return Optional.of(YAML);
    }
    if (name.endsWith(".json")) {
      return Optional.of(JSON);
    }
    if (name.endsWith(".properties")) {
      return Optional.of(PROPERTIES);
    }
    return Optional.empty();
  }

  /** Parses a format name: {@code yaml}, {@code yml}, {@code json}, {@code properties}. */
  public static ConfigFormat named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "yaml", "yml":
        return YAML;
      case "json":
        return JSON;
      case "properties":
        return PROPERTIES;
      default:
        throw new IllegalArgumentException(
            "unknown format '" + name + "': expected yaml, json or properties");
    }
  }
}
