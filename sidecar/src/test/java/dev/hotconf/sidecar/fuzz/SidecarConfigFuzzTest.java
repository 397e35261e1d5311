package dev.hotconf.sidecar.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.sidecar.run.SidecarConfig;
import dev.hotconf.sidecar.run.SidecarConfigParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the sidecar's own config file parser through a temporary file. Contract: {@link
 * SidecarConfigParser#parse} returns a config or throws {@link ConfigParseException} listing
 * problems with messages; nothing else.
 */
class SidecarConfigFuzzTest {
  static final Path DIR;
  static final Path FILE;

  static {
    try {
      DIR = Files.createTempDirectory("hotconf-sidecar-fuzz");
      FILE = DIR.resolve("sidecar.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Files.deleteIfExists(FILE);
    Files.deleteIfExists(DIR);
  }

  @FuzzTest(maxDuration = "10m")
  void parse(byte[] input) throws IOException {
    Files.write(FILE, input);
    SidecarConfig config;
    try {
      config = SidecarConfigParser.parse(FILE);
    } catch (ConfigParseException e) {
      assertFalse(e.problems().isEmpty());
      for (Problem p : e.problems()) {
        assertNotNull(p.message());
      }
      return;
    }
    assertNotNull(config);
  }
}
