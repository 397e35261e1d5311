package dev.hotconf.sidecar.filetarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Trees;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFormatTest {
  /** Values a shell, a config parser or a template could be tricked by. */
  static final List<String> HOSTILE =
      List.of(
          "$(touch PWNED)",
          "`touch PWNED`",
          "a; touch PWNED",
          "line1\nline2\r\nline3",
          "it's \"quoted\" \\ back\\slash",
          "${HOME} $HOME %PATH%",
          "tab\there # not a comment ! = : ",
          " leading and trailing ",
          "",
          "{{ nested }} {% if %}",
          "日本語 ünïcödé \u2028 sep \u0085 nel \u0001 ctl \u007f del",
          "emoji \uD83D\uDE00",
          "yes",
          "null",
          "0x1F",
          "- not a list",
          "key: value",
          "'single'");

  @TempDir Path dir;

  static ConfigObject sample() {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      values.put("v" + i, HOSTILE.get(i));
    }
    root.put("hostile", values);
    root.put("list", new ArrayList<>(HOSTILE));
    root.put(
        "numbers", Map.of("int", 42L, "big", new BigInteger("123456789012345678901234567890")));
    root.put("float", 1.5);
    root.put("flag", true);
    root.put("servers", List.of(server("a", 1), server("b", 2)));
    root.put("nested", List.of(List.of("x", "y"), List.of()));
    root.put("empty-object", Map.of());
    root.put("yes", "reserved key");
    root.put("pool-max", 20L);
    return Trees.fromMap(root, ConfigOrigin.of("test", "test"));
  }

  private static Map<String, Object> server(String host, long port) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", host);
    m.put("port", port);
    return m;
  }

  private static ConfigObject parse(ConfigFormat f, byte[] bytes) {
    return f.parse(bytes, ConfigOrigin.of("rendered", "rendered"));
  }

  @Test
  void jsonIsTheBodyOfGetConfigAndReadsBackExactly() throws Exception {
    ConfigObject root = sample();
    byte[] json = FileFormat.JSON.render(root);
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(root.toJson());
    assertThat(parse(ConfigFormat.JSON, json)).isEqualTo(root);
  }

  @Test
  void yamlReadsBackExactlyWithEveryValueItsType() throws Exception {
    ConfigObject root = sample();
    byte[] yaml = FileFormat.YAML.render(root);
    assertThat(parse(ConfigFormat.YAML, yaml)).isEqualTo(root);
    String text = new String(yaml, StandardCharsets.UTF_8);
    assertThat(text)
        .contains("servers:\n  - host: \"a\"\n    port: 1\n")
        .contains("\"yes\": \"reserved key\"")
        .contains("nested:\n  - - \"x\"\n    - \"y\"\n  - []\n")
        .contains("empty-object: {}");
    assertThat(FileFormat.YAML.render(ConfigObject.empty(ConfigOrigin.of("e", "e"))))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("{}\n");
  }

  @Test
  void propertiesReadBackAsTheSameStrings() throws Exception {
    ConfigObject root = sample();
    byte[] props = FileFormat.PROPERTIES.render(root);
    Map<String, ConfigNode> back = Trees.flatten(parse(ConfigFormat.PROPERTIES, props));
    Map<String, ConfigNode> expected = Trees.flatten(root);
    for (Map.Entry<String, ConfigNode> e : expected.entrySet()) {
      if (e.getValue() instanceof ConfigScalar s) {
        assertThat(back).containsKey(e.getKey());
        assertThat(((ConfigScalar) back.get(e.getKey())).text())
            .as(e.getKey())
            .isEqualTo(String.valueOf(s.value()));
      } else {
        // empty objects and lists have no line
        assertThat(back).doesNotContainKey(e.getKey());
      }
    }
    // and java.util.Properties reads the same
    java.util.Properties p = new java.util.Properties();
    p.load(new java.io.StringReader(new String(props, StandardCharsets.UTF_8)));
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertThat(p.getProperty("hostile.v" + i)).isEqualTo(HOSTILE.get(i));
    }
  }

  @Test
  void envIsReadBackExactlyByARealShellAndRunsNothing() throws Exception {
    ConfigObject root = sample();
    byte[] env = FileFormat.ENV.render(root);
    Path file = dir.resolve("app.env");
    Files.write(file, env);
    String text = new String(env, StandardCharsets.UTF_8);
    assertThat(text).contains("POOL__MAX='20'\n").contains("SERVERS_1_HOST='b'\n");
    for (String shell : new String[] {"sh", "bash"}) {
      for (int i = 0; i < HOSTILE.size(); i++) {
        if (HOSTILE.get(i).indexOf('\0') >= 0) {
          continue;
        }
        // this test uses a shell on purpose: it is the reader the env format is for
        Process p =
            new ProcessBuilder(
                    shell, "-c", "set -a; . ./app.env; printf '%s' \"$HOSTILE_V" + i + "\"")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(out, StandardCharsets.UTF_8))
            .as(shell + " reads HOSTILE_V" + i)
            .isEqualTo(HOSTILE.get(i));
      }
    }
    assertThat(dir.resolve("PWNED")).doesNotExist();
  }

  @Test
  void envRefusesKeysThatAreNoVariableNamesAndCollisions() {
    assertThatThrownBy(
            () ->
                FileFormat.ENV.render(
                    Trees.fromMap(Map.of("a", Map.of("b c", 1L)), ConfigOrigin.of("t", "t"))))
        .isInstanceOf(RenderException.class)
        .hasMessage("key 'a.b c' cannot be an environment variable name (it maps to A_B C)");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a_b", 1L);
    m.put("a", Map.of("b", 2L));
    assertThatThrownBy(() -> FileFormat.ENV.render(Trees.fromMap(m, ConfigOrigin.of("t", "t"))))
        .isInstanceOf(RenderException.class)
        .hasMessage("keys 'a.b' and 'a_b' both map to the variable A_B");
    ConfigObject nul =
        ConfigObject.of(
            Map.of("k", ConfigScalar.of("a\0b", ConfigOrigin.of("t", "t"))),
            ConfigOrigin.of("t", "t"));
    assertThatThrownBy(() -> FileFormat.ENV.render(nul))
        .isInstanceOf(RenderException.class)
        .hasMessage("key 'k': a NUL character cannot be in a variable");
  }

  @Test
  void listsOfScalarsKeepTheirOrderInEveryFormat() throws Exception {
    ConfigObject root =
        ConfigObject.of(
            Map.of(
                "l",
                ConfigList.of(
                    List.of(
                        ConfigScalar.of("b", ConfigOrigin.of("t", "t")),
                        ConfigScalar.of("a", ConfigOrigin.of("t", "t"))),
                    ConfigOrigin.of("t", "t"))),
            ConfigOrigin.of("t", "t"));
    assertThat(FileFormat.PROPERTIES.render(root))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("l[0]=b\nl[1]=a\n");
    assertThat(FileFormat.ENV.render(root))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("L_0='b'\nL_1='a'\n");
    assertThat(FileFormat.YAML.render(root))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("l:\n  - \"b\"\n  - \"a\"\n");
  }
}
