package dev.hotconf.sidecar.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BoundedReadTest {
  @TempDir Path dir;

  @Test
  void readsUpToTheLimitExactly() throws Exception {
    byte[] data = new byte[200_000]; // more than one chunk
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    assertThat(BoundedRead.readAll(new ByteArrayInputStream(data), data.length, "the limit"))
        .isEqualTo(data);
    assertThat(BoundedRead.readAll(new ByteArrayInputStream(new byte[0]), 0, "the limit"))
        .isEmpty();
    Path f = Files.write(dir.resolve("f"), data);
    assertThat(BoundedRead.readFile(f, 1 << 20, "the limit")).isEqualTo(data);
  }

  @Test
  void oneByteMoreIsRefusedNamingTheLimitNotTheContent() {
    byte[] data = "secret-content".getBytes();
    assertThatThrownBy(
            () -> BoundedRead.readAll(new ByteArrayInputStream(data), data.length - 1, "the limit"))
        .isInstanceOf(BoundedRead.TooLargeException.class)
        .hasMessage("larger than 13 bytes (the limit)")
        .hasMessageNotContaining("secret");
  }

  @Test
  void anEndlessStreamStopsOneBytePastTheLimit() {
    AtomicLong served = new AtomicLong();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served.incrementAndGet();
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            served.addAndGet(len);
            return len;
          }
        };
    assertThatThrownBy(() -> BoundedRead.readAll(endless, 4 << 20, "the document limit"))
        .hasMessage("larger than 4 MiB (the document limit)");
    assertThat(served.get()).isEqualTo((4 << 20) + 1);
  }

  @Test
  void devZeroIsRefusedAtOnce() {
    Path zero = Path.of("/dev/zero");
    assertThatThrownBy(() -> BoundedRead.readFile(zero, 64 << 10, "the token file limit"))
        .hasMessage("larger than 64 KiB (the token file limit)");
  }
}
