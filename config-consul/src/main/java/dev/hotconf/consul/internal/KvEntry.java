package dev.hotconf.consul.internal;

import java.util.Objects;

/**
 * One Consul KV entry as read: its full key, its raw value ({@code null} when the key holds no
 * value) and its ModifyIndex. Not part of the public API.
 */
public record KvEntry(String key, byte[] value, long modifyIndex) {

  public KvEntry {
    Objects.requireNonNull(key, "key");
  }
}
