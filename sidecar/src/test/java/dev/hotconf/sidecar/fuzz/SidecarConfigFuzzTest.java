package dev.hotconf.sidecar.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigException;
import dev.hotconf.Problem;
import dev.hotconf.settings.Assembly;
import dev.hotconf.sidecar.run.SidecarSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the reading of the sidecar's own config file through a temporary file: config-core's YAML
 * parser, the strict binder, the file and Consul source providers (sources are created, never
 * started) and the schema lookup. Contract: {@link SidecarSettings#load} returns an assembly or
 * throws {@link ConfigException} listing problems with messages; nothing else.
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
    try (Assembly<SidecarSettings> assembly = SidecarSettings.load(FILE)) {
      assertNotNull(assembly.settings());
      assertFalse(assembly.sources().isEmpty());
    } catch (ConfigException e) {
      assertFalse(e.problems().isEmpty());
      for (Problem p : e.problems()) {
        assertNotNull(p.message());
      }
    }
  }
}
