package dev.hotconf.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigFailure;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShrinkGuardTest {
  private static final String TEN_KEYS =
      "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\n";

  private static HotConfig config(MemorySource source, ShrinkGuard guard) {
    return HotConfig.builder().name("guarded").source(source).validate(guard).build();
  }

  private static List<String> lastProblems(HotConfig config) {
    ConfigFailure f = config.status().lastFailure();
    return f == null ? List.of() : f.problems().stream().map(Problem::message).toList();
  }

  @Test
  void refusesACandidateRemovingMoreThanTheShareAndKeepsTheLiveVersion() {
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, TEN_KEYS);
    try (HotConfig config = config(source, ShrinkGuard.maxRemovedKeys(0.3))) {
      // 3 of 10 removed: exactly at the limit, allowed
      source.update(ConfigFormat.YAML, "d: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\n");
      await().until(() -> config.version() == 2);
      // 4 of 7 removed (57%): refused
      source.update(ConfigFormat.YAML, "g: 7\nh: 8\ni: 9\n");
      await().until(() -> config.status().rejecting());
      assertThat(config.version()).isEqualTo(2);
      assertThat(config.snapshot().has("d")).isTrue();
      assertThat(lastProblems(config))
          .containsExactly(
              "the new configuration removes 4 of 7 keys (57.1%, more than the shrink guard's"
                  + " max-removed-keys 30%): d, e, f, j; if intended, allow it once (sidecar: POST"
                  + " /v1/guard/allow; library: ShrinkGuard.allowNext() then HotConfig.recheck())");
    }
  }

  @Test
  void refusesAnEmptyCandidateWhileTheLiveOneIsNot() {
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, "a: 1\n");
    try (HotConfig config = config(source, ShrinkGuard.builder().build())) {
      source.update(ConfigFormat.YAML, "");
      await().until(() -> config.status().rejecting());
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      assertThat(lastProblems(config))
          .singleElement()
          .asString()
          .startsWith(
              "the new configuration is empty while version 1 has 1 key; refused by the shrink"
                  + " guard");
      // without a share limit, removing all keys but one is allowed
      source.update(ConfigFormat.YAML, "b: 2\n");
      await().until(() -> config.version() == 2);
    }
  }

  @Test
  void theFirstConfigurationAlwaysPassesEvenEmpty() {
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, "");
    try (HotConfig config = config(source, ShrinkGuard.maxRemovedKeys(0))) {
      assertThat(config.version()).isEqualTo(1);
      // and growing from empty is never a shrink
      source.update(ConfigFormat.YAML, "a: 1\n");
      await().until(() -> config.version() == 2);
    }
  }

  @Test
  void allowNextLetsTheRejectedCandidateThroughOnceWithRecheck() {
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, TEN_KEYS);
    ShrinkGuard guard = ShrinkGuard.maxRemovedKeys(0.3);
    try (HotConfig config = config(source, guard)) {
      source.update(ConfigFormat.YAML, "a: 1\n");
      await().until(() -> config.status().rejecting());
      guard.allowNext();
      assertThat(guard.isNextAllowed()).isTrue();
      config.recheck();
      await().until(() -> config.version() == 2);
      assertThat(config.snapshot().values()).containsOnlyKeys("a");
      assertThat(guard.isNextAllowed()).isFalse();
      // one shot: the next large removal is refused again
      source.update(ConfigFormat.YAML, TEN_KEYS);
      await().until(() -> config.version() == 3);
      source.update(ConfigFormat.YAML, "j: 10\n");
      await().until(() -> config.status().rejecting());
      assertThat(config.version()).isEqualTo(3);
    }
  }

  @Test
  void anAllowanceIsConsumedByTheNextCandidateEvenASmallOne() {
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, TEN_KEYS);
    ShrinkGuard guard = ShrinkGuard.maxRemovedKeys(0.3);
    try (HotConfig config = config(source, guard)) {
      guard.allowNext();
      source.update(ConfigFormat.YAML, TEN_KEYS + "k: 11\n");
      await().until(() -> config.version() == 2);
      assertThat(guard.isNextAllowed()).isFalse();
      source.update(ConfigFormat.YAML, "a: 1\n");
      await().until(() -> config.status().rejecting());
    }
  }

  @Test
  void aNewValueOfTheMarkerKeyAllowsALargeChange() {
    MemorySource source =
        Sources.text("mem", ConfigFormat.YAML, TEN_KEYS + "ops: {allow-shrink: r1}\n");
    ShrinkGuard guard =
        ShrinkGuard.builder().maxRemovedShare(0.3).allowKey("ops.allow-shrink").build();
    try (HotConfig config = config(source, guard)) {
      // the same marker value does not allow it
      source.update(ConfigFormat.YAML, "a: 1\nops: {allow-shrink: r1}\n");
      await().until(() -> config.status().rejecting());
      assertThat(lastProblems(config).get(0))
          .endsWith("or change the value of 'ops.allow-shrink' with it");
      // a new marker value does
      source.update(ConfigFormat.YAML, "a: 1\nops: {allow-shrink: r2}\n");
      await().until(() -> config.version() == 2);
      assertThat(config.snapshot().getString("ops.allow-shrink")).isEqualTo("r2");
    }
  }

  @Test
  void listsAtMostFiveRemovedKeys() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      many.append("k").append(i).append(": ").append(i).append('\n');
    }
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, many.toString());
    try (HotConfig config = config(source, ShrinkGuard.maxRemovedKeys(0.5))) {
      source.update(ConfigFormat.YAML, "k0: 0\n");
      await().until(() -> config.status().rejecting());
      assertThat(lastProblems(config).get(0))
          .contains("removes 11 of 12 keys (91.7%")
          .contains("k1, k10, k11, k2, k3 and 6 more");
    }
  }

  @Test
  void percentagesAndBuilderInputsAreChecked() {
    assertThat(ShrinkGuard.parsePercent("30%")).isEqualTo(0.3);
    assertThat(ShrinkGuard.parsePercent(" 12.5 % ")).isEqualTo(0.125);
    assertThat(ShrinkGuard.parsePercent("0%")).isZero();
    for (String bad : List.of("30", "%", "-1%", "101%", "abc%", "0.3")) {
      assertThatThrownBy(() -> ShrinkGuard.parsePercent(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected a percentage from 0% to 100%, like 30%");
    }
    assertThatThrownBy(() -> ShrinkGuard.maxRemovedKeys(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShrinkGuard.builder().maxRemovedShare(0.1).maxRemovedShare(0.2))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ShrinkGuard.builder().refuseEmpty(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses nothing");
    assertThatThrownBy(() -> ShrinkGuard.builder().allowKey("a..b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validatorsSeeTheLiveSnapshotBesideTheCandidate() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, "a: 1\n");
    try (HotConfig config =
        HotConfig.builder()
            .source(source)
            .validate(ctx -> seen.add(ctx.live().map(s -> s.version()).orElse(0L)))
            .build()) {
      source.update(ConfigFormat.YAML, "a: 2\n");
      await().until(() -> config.version() == 2);
      assertThat(seen).containsExactly(0L, 1L);
    }
  }
}
