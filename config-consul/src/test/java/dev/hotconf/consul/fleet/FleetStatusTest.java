package dev.hotconf.consul.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How FleetStatus judges records: current, rejected, pinned, behind, stale, and the gate. */
class FleetStatusTest {
  private static final String KEY = "config/orders/app.yaml";
  private static final Instant NOW = Instant.parse("2026-12-05T10:10:00Z");
  private static final Duration STALE_AFTER = Duration.ofMinutes(1);

  private final List<Ack> acks = new ArrayList<>();

  private void ack(String id, AckState state, long index, String hash, Instant time) {
    ack(id, state, index, hash, time, 0, List.of());
  }

  private void ack(
      String id,
      AckState state,
      long index,
      String hash,
      Instant time,
      long rejected,
      List<String> problems) {
    acks.add(new Ack(1, "orders", id, state, KEY, index, hash, 1, rejected, problems, time, null));
  }

  private FleetStatus judge(long current) {
    List<String> keys = acks.stream().map(a -> "hotconf/acks/orders/" + a.instance()).toList();
    return FleetStatus.of(
        "orders", keys, acks, List.of(), Map.of(KEY, current), 99, NOW, STALE_AFTER);
  }

  @Test
  void theGatePassesWhenEveryInstanceIsLiveAtTheCurrentIndex() {
    ack("b", AckState.LIVE, 20, "h2", NOW.minusSeconds(5));
    ack("a", AckState.LIVE, 20, "h2", NOW.minusSeconds(3));

    FleetStatus s = judge(20);

    assertThat(s.gatePasses()).isTrue();
    assertThat(s.instances()).extracting(i -> i.ack().instance()).containsExactly("a", "b");
    assertThat(s.byHash()).singleElement().satisfies(g -> assertThat(g.instances()).hasSize(2));
  }

  @Test
  void noInstanceMeansNoGate() {
    assertThat(judge(20).gatePasses()).isFalse();
  }

  @Test
  void rejectionsPinsAndLaggardsFailTheGateEachInItsOwnList() {
    ack("live", AckState.LIVE, 20, "h2", NOW.minusSeconds(120));
    ack("refused", AckState.REJECTED, 10, "h1", NOW.minusSeconds(100), 20, List.of("why"));
    ack("pinned", AckState.PINNED, 10, "h1", NOW.minusSeconds(90));
    ack("slow", AckState.LIVE, 10, "h1", NOW.minusSeconds(300));

    FleetStatus s = judge(20);

    assertThat(s.gatePasses()).isFalse();
    assertThat(s.current()).extracting(i -> i.ack().instance()).containsExactly("live");
    assertThat(s.rejected())
        .singleElement()
        .satisfies(i -> assertThat(i.rejectedCurrent()).isTrue());
    assertThat(s.pinned()).extracting(i -> i.ack().instance()).containsExactly("pinned");
    assertThat(s.behind()).extracting(i -> i.ack().instance()).containsExactly("slow");
    assertThat(s.stale())
        .as("another instance adopted index 20 two minutes ago")
        .extracting(i -> i.ack().instance())
        .containsExactly("slow");
    assertThat(s.byHash()).extracting(FleetStatus.HashGroup::hash).containsExactly("h1", "h2");
  }

  @Test
  void anInstanceBehindARecentVersionIsNotStaleYet() {
    ack("fast", AckState.LIVE, 20, "h2", NOW.minusSeconds(10));
    ack("slow", AckState.LIVE, 10, "h1", NOW.minusSeconds(600));

    FleetStatus s = judge(20);

    assertThat(s.behind()).hasSize(1);
    assertThat(s.stale()).isEmpty();
  }

  @Test
  void unknownStatesOfLaterWritersAreShownButNeverPassTheGate() {
    ack("a", AckState.of("canary"), 20, "h2", NOW);

    FleetStatus s = judge(20);

    assertThat(s.gatePasses()).isFalse();
    assertThat(s.instances().get(0).ack().state().name()).isEqualTo("canary");
  }
}
