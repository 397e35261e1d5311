package dev.hotconf.testing.consul;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One key/value pair as stored by {@link ConsulTestServer}, with Consul's metadata.
 *
 * <p>Immutable and thread-safe. {@link #value()} returns a copy; an empty value is what Consul
 * renders as {@code "Value": null}. No method returns {@code null}; {@link #session()} is empty
 * while no session holds the key.
 */
public final class KvEntry {

  private final String key;
  private final byte[] value;
  private final long flags;
  private final long createIndex;
  private final long modifyIndex;
  private final long lockIndex;
  private final String session;

  KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex) {
    this(key, value, flags, createIndex, modifyIndex, 0, null);
  }

  KvEntry(
      String key,
      byte[] value,
      long flags,
      long createIndex,
      long modifyIndex,
      long lockIndex,
      String session) {
    this.key = key;
    this.value = value;
    this.flags = flags;
    this.createIndex = createIndex;
    this.modifyIndex = modifyIndex;
    this.lockIndex = lockIndex;
    this.session = session;
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

  /** How many times a session acquired this key (Consul's {@code LockIndex}); 0 if never. */
  public long lockIndex() {
    return lockIndex;
  }

  /** The ID of the session holding this key ({@code ?acquire=}), if any. */
  public Optional<String> session() {
    return Optional.ofNullable(session);
  }

  String sessionOrNull() {
    return session;
  }

  byte[] valueUnsafe() {
    return value;
  }

  boolean sameContent(byte[] otherValue, long otherFlags) {
    return flags == otherFlags && Arrays.equals(value, otherValue);
  }

  /** Consul's {@code DirEntry.Equal}: lock index, flags, value and session. */
  boolean sameEntry(byte[] otherValue, long otherFlags, long otherLockIndex, String otherSession) {
    return sameContent(otherValue, otherFlags)
        && lockIndex == otherLockIndex
        && Objects.equals(session, otherSession);
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
        && lockIndex == e.lockIndex
        && key.equals(e.key)
        && Arrays.equals(value, e.value)
        && Objects.equals(session, e.session);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        key, Arrays.hashCode(value), flags, createIndex, modifyIndex, lockIndex, session);
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
        + (session == null ? "" : ", session=" + session + ", lockIndex=" + lockIndex)
        + ']';
  }
}
