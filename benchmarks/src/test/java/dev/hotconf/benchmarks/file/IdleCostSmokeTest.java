package dev.hotconf.benchmarks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.hotconf.benchmarks.file.IdleCost.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link IdleCost} with 1 s windows so the program never rots (child JVMs start side by side;
 * a few seconds). CPU amounts are not asserted: CI machines are too noisy for that.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdleCostSmokeTest {

  @Test
  void everyScenarioIdlesInItsOwnJvmAndReportsItsCpu() throws Exception {
    IdleCost.Options o =
        IdleCost.Options.parse(
            "--seconds",
            "1",
            "--repetitions",
            "1",
            "--settle-seconds",
            "0",
            "--strace",
            "off",
            "--scenarios",
            "baseline,hotconf,commons-100ms,commons-1s,hotconf-no-rescan");
    List<IdleCost.Result> results = IdleCost.run(o, System.err);

    assertThat(results)
        .extracting(IdleCost.Result::scenario)
        .containsExactly(
            Scenario.BASELINE,
            Scenario.HOTCONF,
            Scenario.COMMONS_100MS,
            Scenario.COMMONS_1S,
            Scenario.HOTCONF_NO_RESCAN);
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.samples()).hasSize(1);
              IdleCost.Sample s = r.samples().get(0);
              assertThat(s.wallNanos())
                  .as(r.scenario().key())
                  .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(990));
              assertThat(s.endEpochMicros() - s.startEpochMicros()).isGreaterThanOrEqualTo(990_000);
              assertThat(s.processCpuNanos())
                  .as("%s: the JVM's own threads use some CPU", r.scenario().key())
                  .isPositive();
              assertThat(r.syscalls()).isEmpty();
            });
    // the watchers start threads of their own (hotconf: scheduler + watcher; Commons: the
    // trigger's)
    assertThat(results.stream().filter(r -> r.scenario() != Scenario.BASELINE))
        .allSatisfy(
            r ->
                assertThat(r.samples().get(0).scenarioThreads())
                    .as(r.scenario().key())
                    .isPositive());
    assertThat(IdleCost.report(o, results))
        .contains("| Commons Configuration 2, PeriodicReloadingTrigger 100 ms");
  }

  @Test
  void tracedRoundCountsTheStatCallsOfThePeriodicCheck() throws Exception {
    IdleCost.Options o =
        IdleCost.Options.parse(
            "--seconds",
            "1",
            "--repetitions",
            "1",
            "--settle-seconds",
            "0",
            "--scenarios",
            "baseline,commons-100ms",
            "--strace",
            "auto");
    List<IdleCost.Result> results = IdleCost.run(o, System.err);
    assumeThat(results.get(0).syscalls())
        .as("strace is not available or not permitted here")
        .isPresent();

    Map<String, Integer> base = results.get(0).syscalls().orElseThrow().byName();
    Map<String, Integer> commons = results.get(1).syscalls().orElseThrow().byName();
    int baseStats = statCalls(base);
    // ~10 ticks in 1 s, each comparing the file's modification time
    assertThat(statCalls(commons) - baseStats).isGreaterThanOrEqualTo(5);
    assertThat(IdleCost.report(o, results)).contains("| scenario (traced round) | syscalls/min |");
  }

  @Test
  void syscallsAreCountedOnlyInsideTheWindowAndResumedCallsOnce() {
    List<String> trace =
        List.of(
            "4242  1700000000.999999 stat(\"/tmp/a\", {st_mode=S_IFREG|0644, ...}) = 0",
            "4242  1700000001.000000 newfstatat(AT_FDCWD, \"/tmp/app.yaml\", {...}, 0) = 0",
            "4243  1700000001.500000 futex(0x7f, FUTEX_WAIT_BITSET_PRIVATE, 0, {...}, FUTEX_BITSET_MATCH_ANY <unfinished ...>",
            "4242  1700000001.600000 newfstatat(AT_FDCWD, \"/tmp/app.yaml\", {...}, 0) = 0",
            "4243  1700000001.700000 <... futex resumed>) = -1 ETIMEDOUT (Connection timed out)",
            "4243  1700000001.800000 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
            "1700000001.900000 read(3, \"n: 7\\n\", 4096) = 5",
            "4242  1700000002.000000 newfstatat(AT_FDCWD, \"/tmp/app.yaml\", {...}, 0) = 0",
            "4244  1700000002.100000 +++ exited with 0 +++");

    Map<String, Integer> counts =
        IdleCost.countSyscalls(trace, 1_700_000_001_000_000L, 1_700_000_002_000_000L);

    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(Map.of("newfstatat", 2, "futex", 1, "read", 1));
    assertThat(IdleCost.fileSystemCall("newfstatat")).isTrue();
    assertThat(IdleCost.fileSystemCall("inotify_add_watch")).isTrue();
    assertThat(IdleCost.fileSystemCall("futex")).isFalse();
  }

  @Test
  void childOutputIsParsedAndArgumentsAreChecked() {
    IdleCost.Sample s =
        IdleCost.parseSample(
            Scenario.HOTCONF,
            "noise\nIDLECOST cpuNanos=120000000 threadCpuNanos="
                + "3000000 wallNanos=60000000000 threads=2 startMicros=5 endMicros=60000005\nTHREADS watcher=1.00ms\n");
    assertThat(s.processCpuNanos()).isEqualTo(120_000_000);
    assertThat(s.perMinute(s.processCpuNanos())).isEqualTo(120.0);
    assertThat(s.scenarioThreads()).isEqualTo(2);
    assertThat(s.threadDetail()).isEqualTo("watcher=1.00ms");
    assertThatThrownBy(() -> IdleCost.parseSample(Scenario.HOTCONF, "Exception in thread main"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no IDLECOST line");

    IdleCost.Options o =
        IdleCost.Options.parse("--seconds=30", "--scenarios", "hotconf,baseline", "--strace", "on");
    assertThat(IdleCost.Options.parse("--scenarios", "hotconf-no-rescan").scenarios())
        .containsExactly(Scenario.HOTCONF_NO_RESCAN);
    assertThat(o.seconds()).isEqualTo(30);
    assertThat(o.scenarios()).containsExactly(Scenario.HOTCONF, Scenario.BASELINE);
    assertThat(o.strace()).isEqualTo(Optional.of(true));
    assertThat(IdleCost.Options.parse().repetitions()).isEqualTo(5);
    assertThat(IdleCost.Options.parse().scenarios())
        .containsExactly(
            Scenario.BASELINE, Scenario.HOTCONF, Scenario.COMMONS_100MS, Scenario.COMMONS_1S);
    assertThatThrownBy(() -> IdleCost.Options.parse("--scenarios", "consul"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario 'consul'");
    assertThatThrownBy(() -> IdleCost.Options.parse("--seconds", "0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IdleCost.median(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
  }

  private static int statCalls(Map<String, Integer> byName) {
    return byName.entrySet().stream()
        .filter(e -> e.getKey().contains("stat"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }
}
