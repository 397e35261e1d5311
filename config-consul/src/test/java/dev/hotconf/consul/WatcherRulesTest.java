package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WatcherRulesTest {

  @Test
  void indexRules() {
    assertThat(Watcher.nextIndex(0, 42)).isEqualTo(42);
    assertThat(Watcher.nextIndex(42, 42)).isEqualTo(42); // timeout without change
    assertThat(Watcher.nextIndex(42, 50)).isEqualTo(50);
    assertThat(Watcher.nextIndex(42, 41)).isZero(); // backwards: restart
    assertThat(Watcher.nextIndex(42, 0)).isZero(); // 0 after a real index is backwards too
    assertThat(Watcher.nextIndex(0, 0)).isEqualTo(1); // never block on 0
    assertThat(Watcher.nextIndex(0, -1L)).isEqualTo(-1L); // uint64 max stays, compared unsigned
    assertThat(Watcher.nextIndex(-1L, 5)).isZero();
  }

  @Test
  void fingerprintsCompareKeysAndValuesExactly() {
    byte[] a = Watcher.fingerprint(List.of("k"), List.of(bytes("v")));
    assertThat(Watcher.fingerprint(List.of("k"), List.of(bytes("v")))).isEqualTo(a);
    assertThat(Arrays.equals(a, Watcher.fingerprint(List.of("k"), List.of(bytes("w"))))).isFalse();
    assertThat(Arrays.equals(a, Watcher.fingerprint(List.of("kv"), List.of(bytes(""))))).isFalse();
    assertThat(
            Arrays.equals(
                Watcher.fingerprint(List.of("k"), Arrays.asList((byte[]) null)),
                Watcher.fingerprint(List.of("k"), List.of(bytes("")))))
        .isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
