package dev.hotconf.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong path given as token, CA or key file never hangs or exhausts the process: a FIFO (whose
 * open blocks until a writer comes) and {@code /dev/zero} (endless) are refused with their path, a
 * huge file is refused by its size. Before, the CA file was read with {@code readAllBytes}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmallFilesTest {
  @TempDir Path dir;

  private Path fifo() throws Exception {
    Path fifo = dir.resolve("fifo.pem");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return fifo;
  }

  @Test
  void aFifoAsCaFileIsRefusedAtOnce() throws Exception {
    Path fifo = fifo();
    assertThatThrownBy(() -> SslContexts.trustManagers(fifo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fifo + " is not a regular file");
  }

  @Test
  void devZeroAsTokenFileIsRefusedAtOnce() {
    Path zero = Path.of("/dev/zero");
    assertThatThrownBy(() -> TokenProvider.file(zero).token())
        .isInstanceOf(TokenProvider.TokenUnavailableException.class)
        .hasMessageContaining("/dev/zero is not a regular file");
  }

  @Test
  void aLinkToDevZeroIsRefusedToo() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("ca.pem"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> SslContexts.readCertificates(link))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void aFileOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws Exception {
    Path big = dir.resolve("token");
    Files.write(big, new byte[SmallFiles.TOKEN_LIMIT + 1]);
    assertThatThrownBy(() -> TokenProvider.file(big).token())
        .isInstanceOf(TokenProvider.TokenUnavailableException.class)
        .hasMessageContaining("is larger than " + SmallFiles.TOKEN_LIMIT + " bytes");
    Files.write(big, new byte[SmallFiles.TOKEN_LIMIT]);
    assertThat(SmallFiles.read(big, SmallFiles.TOKEN_LIMIT)).hasSize(SmallFiles.TOKEN_LIMIT);
  }

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> SslContexts.readCertificates(missing))
        .hasMessageContaining(missing + " does not exist");
  }
}
