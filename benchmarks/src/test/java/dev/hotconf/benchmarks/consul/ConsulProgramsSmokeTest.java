package dev.hotconf.benchmarks.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs each Consul program scaled down (a few changes, 20 clients, seconds in all) so they never
 * rot. The numbers are not checked against targets: CI machines are too noisy for that.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsulProgramsSmokeTest {

  @Test
  void propagationSeesEveryChange() throws Exception {
    ConsulPropagation.Result r = ConsulPropagation.run(5, 20, 40, 10, 2, 10_000, 1);
    assertThat(r.timedOut()).isZero();
    assertThat(r.latencies().count()).isEqualTo(5);
    assertThat(r.latencies().maxMs()).isPositive();
  }

  @Test
  void idleClientOnlyMakesBlockingQueries() throws Exception {
    ConsulIdleRequests.Result r = ConsulIdleRequests.run(1, Duration.ofSeconds(3), 100);
    assertThat(r.nonBlocking()).isEqualTo(1);
    assertThat(r.allBlocking()).isTrue();
    assertThat(r.requests()).isBetween(2, 6); // the first read, then one per ~1 s wait
  }

  @Test
  void isolatedEditsAreEachSeen() throws Exception {
    ConsulEditPatterns.Result r =
        ConsulEditPatterns.isolated(3, 50, ConsulEditPatterns.Settings.DEFAULTS, 10_000);
    assertThat(r.timedOut()).isZero();
    assertThat(r.latencies().count()).isEqualTo(3);
  }

  @Test
  void aBurstEndsWithTheNewestValueSeen() throws Exception {
    ConsulEditPatterns.Result r =
        ConsulEditPatterns.burst(5, 20, 2, 10, ConsulEditPatterns.Settings.DEFAULTS, 10_000);
    assertThat(r.timedOut()).isZero();
    assertThat(r.readsPerRun()).hasSize(2);
    assertThat(Arrays.stream(r.readsPerRun()).min().orElse(0)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void outagesHangsAndALongOutageAreRecoveredFrom() throws Exception {
    ConsulOutages.Settings fast = new ConsulOutages.Settings(20, 200, 1, 100);
    ConsulOutages.Result outages = ConsulOutages.outages(2, 300, fast, 10_000);
    assertThat(outages.timedOut()).isZero();
    assertThat(outages.requestsPerOutage()).hasSize(2);
    assertThat(Arrays.stream(outages.requestsPerOutage()).min().orElse(0))
        .isGreaterThanOrEqualTo(2);
    ConsulOutages.Result hang = ConsulOutages.hang(1, fast, 10_000);
    assertThat(hang.timedOut()).isZero();
    ConsulOutages.Result settled = ConsulOutages.longOutage(1500, 500, fast, 10_000);
    assertThat(settled.timedOut()).isZero();
    assertThat(settled.settledGapsS()).isNotEmpty();
    // at the 200 ms cap, every gap is at least half of it
    assertThat(Arrays.stream(settled.settledGapsS()).min().orElse(0)).isGreaterThanOrEqualTo(0.09);
  }

  @Test
  void fleetSeesEveryChangeWithOneRequestPerClient() throws Exception {
    ConsulFleet.Result r = ConsulFleet.run(20, 2, 200, 10, 10_000);
    assertThat(r.missed()).isZero();
    assertThat(r.all().count()).isEqualTo(40);
    assertThat(r.requestsPerChange()).isEqualTo(20.0);
  }

  @Test
  void fleetAcksGetOneReadAndOneWritePerInstancePerChange() throws Exception {
    FleetAcks.Result r = FleetAcks.run(10, 2, 0, 1, 10, 10, 30_000);
    assertThat(r.gateSeconds()).hasSize(2);
    assertThat(r.acks().count()).isEqualTo(20);
    assertThat(r.readsPerInstancePerChange()).isEqualTo(1.0);
    assertThat(r.writesPerInstancePerChange()).isEqualTo(1.0);
  }
}
