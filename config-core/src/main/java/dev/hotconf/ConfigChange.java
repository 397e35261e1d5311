package dev.hotconf;

/**
 * A new snapshot was published: the previous one, the new one and what changed. {@code previous} is
 * null for the first snapshot.
 *
 * <p>Immutable and thread-safe.
 */
public record ConfigChange(ConfigSnapshot previous, ConfigSnapshot current, ConfigDiff diff) {}
