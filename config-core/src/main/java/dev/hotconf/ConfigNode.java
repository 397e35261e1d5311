package dev.hotconf;

/**
 * A node of a parsed configuration tree: an {@link ConfigObject object}, a {@link ConfigList list}
 * or a {@link ConfigScalar scalar}. Every node carries the {@link ConfigOrigin origin} where it was
 * written.
 *
 * <p>Trees are immutable and thread-safe; a node may be shared by several trees (YAML aliases,
 * unchanged parts of a merge). Equality compares content only, never origins.
 */
public sealed interface ConfigNode permits ConfigObject, ConfigList, ConfigScalar {

  /** Where this node was written. Never null. */
  ConfigOrigin origin();

  /** The same content with another origin. */
  ConfigNode withOrigin(ConfigOrigin origin);

  /** Number of leaves this node flattens to (scalars, empty objects and empty lists). */
  int leafCount();

  /** The node as plain Java: {@code Map}, {@code List}, {@code String}, numbers, booleans, null. */
  Object unwrapped();

  /** The node as compact JSON (values as they are: secrets included). */
  default String toJson() {
    return dev.hotconf.internal.JsonWriter.toJson(this, null, false);
  }

  /**
   * The node as JSON, this node being the value at {@code key} ({@code ""} for the root): every
   * value under a key {@code redactor} calls secret is written as {@value Redactor#REDACTED}, so
   * the output is safe to show. Numbers, booleans and nulls keep their JSON types; a non-finite
   * float is written as its text.
   *
   * @param redactor the redactor, or null to write every value as it is
   * @param pretty indent (Jackson's default pretty printer) rather than compact
   */
  default String toJson(String key, Redactor redactor, boolean pretty) {
    java.util.Objects.requireNonNull(key, "key");
    return dev.hotconf.internal.JsonWriter.toJson(this, key, redactor, pretty);
  }
}
