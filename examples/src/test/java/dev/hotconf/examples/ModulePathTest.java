package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published modules as JPMS users see them: their names, exported packages (the API, never an
 * {@code internal} package) and services, and a real run on the module path where settings find the
 * {@code file} source and JSON Schema support through the service loader. Needs the modules' jars
 * (their manifests carry the automatic names): it runs in {@code verify}, and is skipped when a
 * plain {@code test} run resolves the modules to class folders.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ModulePathTest {
  private static final List<String> ON_MODULE_PATH =
      List.of(
          "config-core",
          "config-file",
          "config-schema",
          "snakeyaml",
          "jackson-core",
          "jackson-databind",
          "jackson-annotations",
          "json-schema-validator",
          "slf4j-api",
          "directory-watcher");

  @TempDir Path dir;

  private static Map<String, Path> entries() {
    List<Path> cp =
        java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of)
            .toList();
    return ON_MODULE_PATH.stream()
        .collect(
            Collectors.toMap(
                name -> name,
                name ->
                    cp.stream()
                        .filter(p -> p.getFileName().toString().startsWith(name + "-"))
                        .findFirst()
                        .orElseGet(
                            () ->
                                cp.stream()
                                    .filter(
                                        p ->
                                            p.toString()
                                                .contains(File.separator + name + File.separator))
                                    .findFirst()
                                    .orElseThrow(
                                        () ->
                                            new AssertionError(name + " not on the class path")))));
  }

  private static ModuleDescriptor descriptor(Path entry) {
    Set<ModuleReference> found = ModuleFinder.of(entry).findAll();
    assertThat(found).as(entry.toString()).hasSize(1);
    return found.iterator().next().descriptor();
  }

  @Test
  void theModulesExportTheirApiAndRunOnTheModulePath() throws Exception {
    Map<String, Path> entries = entries();
    for (String hotconf : List.of("config-core", "config-file", "config-schema")) {
      assumeTrue(
          entries.get(hotconf).toString().endsWith(".jar"),
          "run with verify: " + hotconf + " resolves to " + entries.get(hotconf));
    }
    ModuleDescriptor core = descriptor(entries.get("config-core"));
    assertThat(core.name()).isEqualTo("dev.hotconf.core");
    assertThat(core.isAutomatic()).isFalse();
    assertThat(core.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(
            "dev.hotconf",
            "dev.hotconf.bind",
            "dev.hotconf.parse",
            "dev.hotconf.settings",
            "dev.hotconf.source",
            "dev.hotconf.validate");
    assertThat(core.packages()).contains("dev.hotconf.internal");
    assertThat(core.uses())
        .containsExactlyInAnyOrder(
            "dev.hotconf.source.SourceProvider", "dev.hotconf.validate.SchemaProvider");
    ModuleDescriptor schema = descriptor(entries.get("config-schema"));
    assertThat(schema.name()).isEqualTo("dev.hotconf.schema");
    assertThat(schema.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.hotconf.schema");
    assertThat(schema.provides())
        .extracting(ModuleDescriptor.Provides::service)
        .containsExactly("dev.hotconf.validate.SchemaProvider");
    ModuleDescriptor file = descriptor(entries.get("config-file"));
    assertThat(file.name()).isEqualTo("dev.hotconf.file");
    assertThat(file.isAutomatic()).isTrue();

    String modulePath =
        ON_MODULE_PATH.stream()
            .map(entries::get)
            .map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator));
    Path testClasses =
        Path.of(ModulePathMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--module-path",
            modulePath,
            "--add-modules",
            "dev.hotconf.core,dev.hotconf.file,dev.hotconf.schema",
            "-cp",
            testClasses.toString(),
            ModulePathMain.class.getName(),
            dir.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains(
            "module dev.hotconf.core",
            "internal exported false",
            "sources 1",
            "validators 1",
            "pool Pool[max=12, idleTimeout=PT30S]");
    assertThat(Files.exists(dir.resolve("app.yaml"))).isTrue();
  }
}
