package dev.hotconf.consul.rollout;

import dev.hotconf.testing.consul.ConsulTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Rollout records written by hand, for tests of the instance side. */
final class Records {
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private Records() {}

  /** Writes {@code candidate} and a record at one stage with {@code cut}; returns the record. */
  static RolloutRecord start(
      ConsulTestServer server, String candidate, RolloutPlan plan, int cut, String id) {
    RolloutKeys keys = RolloutKeys.of(Instances.APP);
    long stableIndex = server.get(Instances.KEY).orElseThrow().modifyIndex();
    long candidateIndex = server.put(keys.candidate(), candidate);
    RolloutRecord r =
        new RolloutRecord(
            RolloutRecord.FORMAT,
            id,
            Instances.APP,
            Instances.KEY,
            stableIndex,
            candidateIndex,
            RolloutDriver.sha256(candidate.getBytes(StandardCharsets.UTF_8)),
            plan,
            1,
            cut,
            1,
            false,
            null,
            List.of(),
            T0,
            T0,
            T0,
            "test");
    write(server, r);
    return r;
  }

  static void write(ConsulTestServer server, RolloutRecord r) {
    server.put(RolloutKeys.of(r.app()).record(), r.toJson());
  }
}
