package dev.hotconf.examples;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.HotConfig;
import dev.hotconf.Setting;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import dev.hotconf.settings.HotConfigSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run by {@link ModulePathTest} in a child JVM whose hotconf modules are on the module path (this
 * class on the class path): settings with a {@code file} source and a schema, assembled through the
 * service loader, a record bound reflectively. Prints what it saw.
 */
public final class ModulePathMain {
  record Pool(int max, @DefaultValue("30s") Duration idleTimeout) {}

  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.writeString(dir.resolve("app.yaml"), "db: {pool: {max: 12}}\n");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"db\"]}");
    Path file = dir.resolve("settings.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: app.yaml\nschema: schema.json\nstart-timeout: 20s\n");
    ConfigObject root =
        ConfigFormat.YAML.parse(Files.readAllBytes(file), ConfigOrigin.ofFile("settings", file));
    try (Assembly<HotConfigSettings> assembly =
            Assembler.defaults().assemble(root, "", HotConfigSettings.class);
        HotConfig config = assembly.builder().name("modules").build()) {
      Setting<Pool> pool = config.recordSetting("db.pool", Pool.class);
      System.out.println("module " + HotConfig.class.getModule().getName());
      System.out.println(
          "internal exported " + HotConfig.class.getModule().isExported("dev.hotconf.internal"));
      System.out.println("sources " + assembly.sources().size());
      System.out.println("validators " + assembly.validators().size());
      System.out.println("pool " + pool.get());
    }
  }
}
