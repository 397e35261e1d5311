package dev.hotconf.consul.internal;

import java.util.List;

/**
 * A successful KV read: the entries (empty when {@code found} is false, i.e. Consul answered 404),
 * Consul's {@code X-Consul-Index} and {@code X-Consul-KnownLeader}. Not part of the public API.
 */
public record KvResponse(boolean found, List<KvEntry> entries, long index, boolean knownLeader) {

  public KvResponse {
    entries = List.copyOf(entries);
  }

  public static KvResponse found(List<KvEntry> entries, long index, boolean knownLeader) {
    return new KvResponse(true, entries, index, knownLeader);
  }

  public static KvResponse notFound(long index, boolean knownLeader) {
    return new KvResponse(false, List.of(), index, knownLeader);
  }
}
