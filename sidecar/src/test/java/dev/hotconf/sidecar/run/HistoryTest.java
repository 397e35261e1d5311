package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's version history and its pin file. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HistoryTest {
  @TempDir Path dir;
  private final List<HotConfig> configs = new ArrayList<>();

  @AfterEach
  void close() {
    configs.forEach(HotConfig::close);
  }

  /** Snapshots 1..n of a config whose {@code n} key counts up, {@code pad} bytes each. */
  private List<ConfigSnapshot> snapshots(int n, int pad) {
    MemorySource src =
        Sources.text("app", ConfigFormat.YAML, "n: 1\npad: '" + "x".repeat(pad) + "'\n");
    HotConfig c = HotConfig.builder().source(src).build();
    configs.add(c);
    List<ConfigSnapshot> out = new ArrayList<>(List.of(c.snapshot()));
    for (int i = 2; i <= n; i++) {
      src.update(ConfigFormat.YAML, "n: " + i + "\npad: '" + "x".repeat(pad) + "'\n");
      int want = i;
      org.awaitility.Awaitility.await().until(() -> c.snapshot().version() == want);
      out.add(c.snapshot());
    }
    return out;
  }

  @Test
  void keepsTheNewestVersionsNewestFirst() {
    History h = new History(3, 1 << 20);
    snapshots(5, 0).forEach(h::add);

    assertThat(h.list()).extracting(History.Entry::version).containsExactly(5L, 4L, 3L);
    History.Entry e = h.get(4).orElseThrow();
    assertThat(new String(e.json(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":4,\"pad\":\"\"}");
    assertThat(e.origins()).containsExactly("app");
    assertThat(h.get(2)).isEmpty();
  }

  @Test
  void isBoundedInBytesButAlwaysKeepsTheNewest() {
    History h = new History(20, 3_000);
    List<ConfigSnapshot> big = snapshots(4, 1_000);
    big.forEach(h::add);

    assertThat(h.list()).extracting(History.Entry::version).containsExactly(4L, 3L);
    assertThat(h.bytes()).isLessThanOrEqualTo(3_000);

    History tiny = new History(20, 10);
    big.forEach(tiny::add);
    assertThat(tiny.list()).extracting(History.Entry::version).containsExactly(4L);
  }

  @Test
  void olderOrRepeatedVersionsAreIgnoredAndSizeZeroKeepsNothing() {
    List<ConfigSnapshot> s = snapshots(2, 0);
    History h = new History(5, 1 << 20);
    h.add(s.get(1));
    h.add(s.get(0));
    h.add(s.get(1));
    assertThat(h.list()).extracting(History.Entry::version).containsExactly(2L);

    History none = new History(0, 1 << 20);
    none.add(s.get(1));
    assertThat(none.list()).isEmpty();
  }

  @Test
  void aPinFileRoundTripsOwnerOnlyAndSaysWhatIsWrongWithABadOne() throws IOException {
    History h = new History(5, 1 << 20);
    snapshots(2, 0).forEach(h::add);
    History.Entry pinned = h.get(1).orElseThrow();
    PinFile file = new PinFile(dir.resolve("state/app.json.pin"));

    assertThat(file.read()).isEmpty();
    file.write(pinned);
    History.Entry back = file.read().orElseThrow();
    assertThat(back.version()).isEqualTo(1);
    assertThat(back.hash()).isEqualTo(pinned.hash());
    assertThat(back.time()).isEqualTo(pinned.time());
    assertThat(back.origins()).isEqualTo(pinned.origins());
    assertThat(back.json()).isEqualTo(pinned.json());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())))
        .isEqualTo("rw-------");

    file.delete();
    assertThat(file.read()).isEmpty();

    Files.writeString(file.path(), "{\"format\":1,\"version\":\"five\"}");
    assertThatThrownBy(file::read)
        .isInstanceOf(IOException.class)
        .hasMessage(file.path() + " is not a pin file: bad or missing field version");
    Files.writeString(file.path(), "{nope");
    assertThatThrownBy(file::read).hasMessageEndingWith("it does not parse as JSON");

    // whatever stands at the path is never opened unless it is a regular file: a link to
    // /dev/zero would never end, a FIFO would block the start until someone writes to it
    Files.delete(file.path());
    Files.createSymbolicLink(file.path(), Path.of("/dev/zero"));
    assertThatThrownBy(file::read)
        .isInstanceOf(IOException.class)
        .hasMessage(file.path() + " is not a pin file: not a regular file");
  }
}
