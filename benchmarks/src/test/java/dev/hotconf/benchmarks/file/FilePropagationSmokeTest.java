package dev.hotconf.benchmarks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link FilePropagation} with 3 writes per mode and the peer off, so the program never rots
 * (a few seconds: the gaps between writes, part of the scenario, are 50-100 ms here instead of the
 * measured runs' 250-400 ms; each write is still measured alone, the gap counting from the moment
 * the previous value was seen). Latency targets are not asserted here; CI machines are too noisy
 * for that.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilePropagationSmokeTest {

  @Test
  void everyWriteModePropagates() throws Exception {
    FilePropagation.Options o =
        FilePropagation.Options.parse(
            "--writes",
            "3",
            "--warmup",
            "0",
            "--peer",
            "off",
            "--gap-min-ms",
            "50",
            "--gap-max-ms",
            "100");
    List<FilePropagation.Result> results = FilePropagation.run(o, System.err);

    assertThat(results)
        .extracting(FilePropagation.Result::mode)
        .containsExactly("inplace", "rename", "vim", "recreate", "kube");
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.system()).isEqualTo("hotconf");
              assertThat(r.timeouts()).as("%s: writes never seen", r.mode()).isZero();
              assertThat(r.latency().count()).as(r.mode()).isEqualTo(3);
              assertThat(r.latency().p50Ms()).as(r.mode()).isPositive();
              assertThat(r.targetP99Millis()).isPresent();
            });
    assertThat(FilePropagation.report(o, results))
        .contains("| hotconf | Kubernetes ConfigMap ..data swap | 3 |");
  }

  @Test
  void fastPeerRunsBesideHotconfAndIsCompared() throws Exception {
    FilePropagation.Options o =
        FilePropagation.Options.parse(
            "--modes",
            "rename",
            "--writes",
            "2",
            "--warmup",
            "0",
            "--peer-fast-period-ms",
            "100",
            "--peer-fast-writes",
            "2",
            "--peer-writes",
            "0",
            "--peer-default-delay-writes",
            "0",
            "--gap-min-ms",
            "50",
            "--gap-max-ms",
            "100");
    List<FilePropagation.Result> results = FilePropagation.run(o, System.err);

    assertThat(results)
        .extracting(FilePropagation.Result::system, FilePropagation.Result::mode)
        .containsExactly(
            tuple("hotconf", "rename"),
            tuple("commons-configuration2 (100 ms trigger, refresh delay 0)", "rename"),
            tuple("commons-configuration2 (100 ms trigger, refresh delay 0)", "inplace"));
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.timeouts())
                  .as("%s %s: writes never seen", r.system(), r.mode())
                  .isZero();
              assertThat(r.latency().count()).isEqualTo(2);
            });
    assertThat(FilePropagation.report(o, results))
        .contains("| rename | commons-configuration2 (100 ms trigger, refresh delay 0) | ");
  }

  @Test
  void argumentsAreChecked() {
    FilePropagation.Options o =
        FilePropagation.Options.parse("--writes=7", "--modes", "rename,kube", "--peer", "off");
    assertThat(o.writes()).isEqualTo(7);
    assertThat(o.modes()).containsExactly("rename", "kube");
    assertThat(o.peer()).isFalse();
    assertThat(FilePropagation.Options.parse().writes()).isEqualTo(200);
    assertThatThrownBy(() -> FilePropagation.Options.parse("--modes", "scp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown mode 'scp'");
    assertThatThrownBy(() -> FilePropagation.Options.parse("--fast", "yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> FilePropagation.Options.parse("--peer", "maybe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FilePropagation.Options.parse("--peer-fast-period-ms", "250").peerFastPeriodMillis())
        .isEqualTo(250);
    assertThat(FilePropagation.Options.parse().peerFastPeriodMillis()).isEqualTo(100);
    assertThat(FilePropagation.Options.parse().debounceMillis())
        .as("hotconf's default")
        .isEqualTo(-1);
    assertThat(FilePropagation.Options.parse("--debounce-ms", "50").debounceMillis()).isEqualTo(50);
    assertThatThrownBy(() -> FilePropagation.Options.parse("--peer-fast-period-ms", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--peer-fast-period-ms >= 1");
  }
}
