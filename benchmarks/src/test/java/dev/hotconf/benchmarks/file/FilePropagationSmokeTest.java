package dev.hotconf.benchmarks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link FilePropagation} with 5 writes per mode and the peer off, so the program never rots
 * (about 15 s: the 250-400 ms gaps between writes are part of the scenario). Latency targets are
 * not asserted here; CI machines are too noisy for that.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilePropagationSmokeTest {

  @Test
  void everyWriteModePropagates() throws Exception {
    FilePropagation.Options o = FilePropagation.Options.parse("--writes", "5", "--warmup", "0", "--peer", "off");
    List<FilePropagation.Result> results = FilePropagation.run(o, System.err);

    assertThat(results).extracting(FilePropagation.Result::mode)
        .containsExactly("inplace", "rename", "vim", "recreate", "kube");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.system()).isEqualTo("hotconf");
      assertThat(r.timeouts()).as("%s: writes never seen", r.mode()).isZero();
      assertThat(r.latency().count()).as(r.mode()).isEqualTo(5);
      assertThat(r.latency().p50Ms()).as(r.mode()).isPositive();
      assertThat(r.targetP99Millis()).isPresent();
    });
    assertThat(FilePropagation.report(o, results)).contains("| hotconf | Kubernetes ConfigMap ..data swap | 5 |");
  }

  @Test
  void argumentsAreChecked() {
    FilePropagation.Options o = FilePropagation.Options.parse("--writes=7", "--modes", "rename,kube", "--peer", "off");
    assertThat(o.writes()).isEqualTo(7);
    assertThat(o.modes()).containsExactly("rename", "kube");
    assertThat(o.peer()).isFalse();
    assertThat(FilePropagation.Options.parse().writes()).isEqualTo(200);
    assertThatThrownBy(() -> FilePropagation.Options.parse("--modes", "scp"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown mode 'scp'");
    assertThatThrownBy(() -> FilePropagation.Options.parse("--fast", "yes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> FilePropagation.Options.parse("--peer", "maybe"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
