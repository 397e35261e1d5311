package dev.hotconf;

import dev.hotconf.internal.BindContext;
import dev.hotconf.internal.Converters;
import dev.hotconf.internal.JsonWriter;
import dev.hotconf.internal.PathSyntax;
import dev.hotconf.internal.TreeOps;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable, validated version of the whole configuration: the merged tree, its flattened
 * values, a monotonically increasing version, a content hash over a canonical form and the time it
 * was made.
 *
 * <p>Use a snapshot for a consistent view across several keys within one unit of work: every read
 * from the same snapshot sees the same version. Reads here look the key up and convert on each
 * call; for hot paths use the accessors of {@link HotConfig}, which convert once per version.
 *
 * <p>Immutable and thread-safe. Keys are dotted paths ({@code db.pool.size}, {@code
 * servers[0].host}); methods reject null keys. A key whose value is null counts as absent.
 */
public final class ConfigSnapshot {
  private final long version;
  private final String hash;
  private final Instant createdAt;
  private final ConfigObject root;
  private final NavigableMap<String, ConfigNode> values;
  private final boolean fromLastKnownGood;
  private final Redactor redactor;

  ConfigSnapshot(
      long version,
      Instant createdAt,
      ConfigObject root,
      NavigableMap<String, ConfigNode> values,
      String hash,
      boolean fromLastKnownGood,
      Redactor redactor) {
    this.version = version;
    this.createdAt = createdAt;
    this.root = root;
    this.values = Collections.unmodifiableNavigableMap(values);
    this.hash = hash;
    this.fromLastKnownGood = fromLastKnownGood;
    this.redactor = redactor;
  }

  /** A candidate (version 0) over a merged tree: flattens and hashes it. */
  static ConfigSnapshot candidate(ConfigObject root, Instant now, Redactor redactor) {
    NavigableMap<String, ConfigNode> flat = TreeOps.flatten(root);
    return new ConfigSnapshot(0, now, root, flat, TreeOps.contentHash(flat), false, redactor);
  }

  ConfigSnapshot publishedAs(long newVersion, Instant now, boolean lastKnownGood) {
    return new ConfigSnapshot(newVersion, now, root, values, hash, lastKnownGood, redactor);
  }

  /**
   * 1 for the first published snapshot, +1 for each later one; 0 for a candidate under validation.
   */
  public long version() {
    return version;
  }

  /** Hex SHA-256 prefix of the canonical content; equal content gives equal hashes. */
  public String hash() {
    return hash;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** Whether this snapshot was loaded from the last-known-good file because sources failed. */
  public boolean isFromLastKnownGood() {
    return fromLastKnownGood;
  }

  /** The merged tree. */
  public ConfigObject root() {
    return root;
  }

  /** Every leaf by dotted key, sorted. Unmodifiable. */
  public NavigableMap<String, ConfigNode> values() {
    return values;
  }

  /** The node at {@code key} (a subtree or a scalar), if present. */
  public Optional<ConfigNode> node(String key) {
    return Optional.ofNullable(lookup(key));
  }

  /** Whether {@code key} has a non-null value. */
  public boolean has(String key) {
    return lookup(key) != null;
  }

  /** The origin of the value at {@code key}, if present. */
  public Optional<ConfigOrigin> origin(String key) {
    return node(key).map(ConfigNode::origin);
  }

  /**
   * The value at {@code key} converted to {@code type}.
   *
   * @throws ConfigValueException when the key is missing or the value does not convert
   */
  public <T> T get(String key, Class<T> type) {
    ConfigNode node = lookup(key);
    if (node == null) {
      throw new ConfigValueException(
          key, null, "missing (no value in config version " + version + ")");
    }
    return convert(key, node, type);
  }

  /** The value at {@code key} as {@code type}, or {@code defaultValue} when absent. */
  public <T> T get(String key, Class<T> type, T defaultValue) {
    ConfigNode node = lookup(key);
    return node == null ? defaultValue : convert(key, node, type);
  }

  /** The value at {@code key} as {@code type}, or empty when absent. */
  public <T> Optional<T> find(String key, Class<T> type) {
    ConfigNode node = lookup(key);
    return node == null ? Optional.empty() : Optional.of(convert(key, node, type));
  }

  public String getString(String key) {
    return get(key, String.class);
  }

  public int getInt(String key) {
    return get(key, Integer.class);
  }

  public long getLong(String key) {
    return get(key, Long.class);
  }

  public double getDouble(String key) {
    return get(key, Double.class);
  }

  public boolean getBoolean(String key) {
    return get(key, Boolean.class);
  }

  public Duration getDuration(String key) {
    return get(key, Duration.class);
  }

  /** The merged tree as compact JSON (secrets included: this is the configuration itself). */
  public String toJson() {
    return JsonWriter.toJson(root, null, false);
  }

  /** The merged tree as JSON with secret values replaced by {@value Redactor#REDACTED}. */
  public String toRedactedJson() {
    return JsonWriter.toJson(root, redactor, false);
  }

  Redactor redactor() {
    return redactor;
  }

  ConfigNode lookup(String key) {
    Objects.requireNonNull(key, "key");
    ConfigNode node = key.isEmpty() ? root : TreeOps.find(root, PathSyntax.parse(key));
    return node instanceof ConfigScalar s && s.isNull() ? null : node;
  }

  ConfigNode lookup(Object[] path) {
    ConfigNode node = TreeOps.find(root, path);
    return node instanceof ConfigScalar s && s.isNull() ? null : node;
  }

  @SuppressWarnings("unchecked") // the converter for type returns a T (a box for a primitive)
  private <T> T convert(String key, ConfigNode node, Class<T> type) {
    BindContext ctx = new BindContext(redactor, false);
    Object value = Converters.forClass(type).convert(node, key, ctx);
    if (value == Converters.FAILED) {
      throw new ConfigValueException(ctx.problems());
    }
    return (T) value;
  }

  @Override
  public String toString() {
    return "ConfigSnapshot{version=" + version + ", hash=" + hash + ", keys=" + values.size() + "}";
  }
}
