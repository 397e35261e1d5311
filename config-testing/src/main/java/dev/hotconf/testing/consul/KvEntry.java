package dev.hotconf.testing.consul;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key/value pair as stored by {@link ConsulTestServer}, with Consul's metadata.
 *
 * <p>Immutable and thread-safe. {@link #value()} returns a copy; an empty value is what Consul
 * renders as {@code "Value": null}. No method returns {@code null}.
 */
public final class KvEntry {

  private final String key;
  private final byte[] value;
  private final long flags;
  private final long createIndex;
  private final long modifyIndex;

  KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex) {
    this.key = key;
    this.value = value;
    this.flags = flags;
    this.createIndex = createIndex;
    this.modifyIndex = modifyIndex;
  }

  /** The full key, e.g. {@code config/app/db.url}. */
  public String key() {
    return key;
  }

  /** A copy of the raw value bytes (empty when the value is empty). */
  public byte[] value() {
    return value.clone();
  }

  /** The value decoded as UTF-8. */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /**
   * The opaque uint64 flags (compare with {@link Long#toUnsignedString(long)} for values above
   * 2^63-1).
   */
  public long flags() {
    return flags;
  }

  /** The index at which the key was created. */
  public long createIndex() {
    return createIndex;
  }

  /** The index of the last write that changed this key's value or flags. */
  public long modifyIndex() {
    return modifyIndex;
  }

  /** Always 0: sessions and locks are not modelled. */
  public long lockIndex() {
    return 0;
  }

  byte[] valueUnsafe() {
    return value;
  }

  boolean sameContent(byte[] otherValue, long otherFlags) {
    return flags == otherFlags && Arrays.equals(value, otherValue);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KvEntry)) {
      return false;
    }
    KvEntry e = (KvEntry) o;
    return flags == e.flags
        && createIndex == e.createIndex
        && modifyIndex == e.modifyIndex
        && key.equals(e.key)
        && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), flags, createIndex, modifyIndex);
  }

  @Override
  public String toString() {
    return "KvEntry[key="
        + key
        + ", value="
        + value.length
        + " bytes, flags="
        + Long.toUnsignedString(flags)
        + ", createIndex="
        + createIndex
        + ", modifyIndex="
        + modifyIndex
        + ']';
  }
}
