package dev.hotconf.sidecar.filetarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {
  private static final Path FILE = Path.of("/etc/app/nginx.conf.tmpl");
  private static final ConfigObject CONFIG =
      yaml(
          "server: {name: example.org, port: 8080, tls: true}\n"
              + "upstreams: {api: [10.0.0.1, 10.0.0.2], web: [10.0.0.3]}\n"
              + "workers: 4\n"
              + "motd: \"line one\\nline two\"\n"
              + "db: {password: hunter2-secret, pool-max: 20}\n"
              + "empty: null\n");

  static ConfigObject yaml(String s) {
    return ConfigFormat.YAML.parse(s.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of("t", "t"));
  }

  private static String render(String template) throws RenderException {
    return new String(
        TemplateRenderer.compile(FILE, template).render(CONFIG, UnaryOperator.identity()),
        StandardCharsets.UTF_8);
  }

  private static String error(String template) {
    try {
      render(template);
    } catch (RenderException e) {
      return e.getMessage();
    }
    throw new AssertionError("rendered without error");
  }

  @Test
  void rendersVariablesLoopsOverMapsAndListsAndConditionals() throws Exception {
    String out =
        render(
            "worker_processes {{ workers }};\n"
                + "{% for u in upstreams %}upstream {{ u.key }} {\n"
                + "{% for host in u.value %}  server {{ host }};\n{% endfor %}}\n{% endfor %}"
                + "server { listen {{ server.port }}{% if server.tls %} ssl{% endif %}; }\n"
                + "pool {{ db['pool-max'] }} {{ missing | default('none') }}"
                + " {% if other is defined %}x{% else %}y{% endif %}");
    assertThat(out)
        .isEqualTo(
            "worker_processes 4;\n"
                + "upstream api {\n  server 10.0.0.1;\n  server 10.0.0.2;\n}\n"
                + "upstream web {\n  server 10.0.0.3;\n}\n"
                + "server { listen 8080 ssl; }\n"
                + "pool 20 none y");
  }

  @Test
  void undefinedVariablesAndKeysAreErrorsAtTheTemplatesLineAndColumn() {
    assertThat(error("a\nlisten {{ server.port }};\n  root {{ docroot }};\n"))
        .isEqualTo(FILE + ":3:11: undefined variable 'docroot'");
    assertThat(error("x {{ server.hots }}"))
        .isEqualTo(FILE + ":1:13: no key or item 'hots' there (or not accessible)");
    // a null value counts as absent, as everywhere in hotconf
    assertThat(error("{{ empty }}")).isEqualTo(FILE + ":1:4: undefined variable 'empty'");
  }

  @Test
  void syntaxErrorsAreErrorsAtTheTemplatesLine() {
    assertThat(error("ok\n{% for x in workers %}\n")).startsWith(FILE + ":").contains("endfor");
    assertThat(error("ok\n\n  {{ workers + }}")).startsWith(FILE + ":3:3: Unexpected token");
  }

  @Test
  void noJavaMethodIsReachable() {
    for (String t :
        new String[] {
          "{{ server.getClass() }}",
          "{{ server.name.bytes }}",
          "{{ server.name.getClass().forName('java.lang.Runtime') }}",
          "{{ upstreams.api.size() }}",
          "{{ workers.getClass().getName() }}"
        }) {
      assertThat(error(t)).as(t).contains("access to").contains("is denied");
    }
  }

  @Test
  void otherFilesCannotBeIncluded() {
    assertThat(error("a\n{% include '/etc/passwd' %}"))
        .isEqualTo(FILE + ":2:1: a template cannot include, import or extend other files");
    assertThat(error("{% extends 'base.tmpl' %}"))
        .isEqualTo(FILE + ":1:1: a template cannot include, import or extend other files");
  }

  @Test
  void theDefaultEscapingRefusesValuesThatAddLines() throws Exception {
    assertThat(error("x\nmotd {{ motd }};"))
        .isEqualTo(
            FILE
                + ":2:6: a value with a line break or control character cannot be printed with"
                + " the default escaping 'line'; choose another (escape(strategy=\"quoted\"),"
                + " ...) or | raw");
    assertThat(render("motd {{ motd | escape(strategy='quoted') }};"))
        .isEqualTo("motd \"line one\\nline two\";");
    assertThat(render("{% autoescape 'json' %}{{ motd }}{% endautoescape %}"))
        .isEqualTo("\"line one\\nline two\"");
    assertThat(render("{{ motd | raw }}")).isEqualTo("line one\nline two");
  }

  @Test
  void errorsHideSecretValues() {
    UnaryOperator<String> scrub = s -> s.replace("hunter2-secret", "<redacted>");
    assertThatThrownBy(
            () ->
                TemplateRenderer.compile(FILE, "{{ db.password | date('yyyy') }}")
                    .render(CONFIG, scrub))
        .isInstanceOf(RenderException.class)
        .message()
        .startsWith(FILE + ":1:")
        .doesNotContain("hunter2");
  }

  @Test
  void columnsPointAtTheNameInsideATag() {
    assertThat(TemplateRenderer.column("docroot {{ docroot }}", 1, "docroot")).isEqualTo(12);
    assertThat(TemplateRenderer.column("  {% if a %}", 1, null)).isEqualTo(3);
    assertThat(TemplateRenderer.column("plain", 1, "x")).isEqualTo(1);
    assertThat(TemplateRenderer.column("one", 5, "x")).isEqualTo(1);
  }

  /** Renders {@code template} with the single variable {@code v}. */
  private static String renderValue(String template, String v) throws RenderException {
    ConfigObject root = Trees.fromMap(Map.of("v", v), ConfigOrigin.of("t", "t"));
    return new String(
        TemplateRenderer.compile(FILE, template).render(root, UnaryOperator.identity()),
        StandardCharsets.UTF_8);
  }

  @Test
  void hostileValuesAreInertInEveryEscapingStrategy(@TempDir Path dir) throws Exception {
    for (String v : FileFormatTest.HOSTILE) {
      // json and yaml: the parsers read back exactly the value
      String json = renderValue("{\"v\": {{ v | escape(strategy=\"json\") }}}", v);
      assertThat(
              ConfigFormat.JSON
                  .parse(json.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of("j", "j"))
                  .get("v")
                  .unwrapped())
          .as("json %s", v)
          .isEqualTo(v);
      String yaml = renderValue("v: {{ v | escape(strategy=\"yaml\") }}\n", v);
      assertThat(
              ConfigFormat.YAML
                  .parse(yaml.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of("y", "y"))
                  .get("v")
                  .unwrapped())
          .as("yaml %s", v)
          .isEqualTo(v);
      // shell: sh reads back the value and runs nothing
      String sh = renderValue("V={{ v | escape(strategy=\"shell\") }}\n", v);
      Files.writeString(dir.resolve("v.sh"), sh);
      Process p =
          new ProcessBuilder("sh", "-c", ". ./v.sh; printf '%s' \"$V\"")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(back).as("shell %s", v).isEqualTo(v);
      // quoted (nginx, HAProxy): one line, one quoted word, or a render error for controls
      boolean controls =
          v.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F);
      if (controls) {
        assertThatThrownBy(() -> renderValue("x {{ v | escape(strategy=\"quoted\") }};", v))
            .isInstanceOf(RenderException.class)
            .hasMessageContaining("control character");
      } else {
        String quoted = renderValue("x {{ v | escape(strategy=\"quoted\") }};", v);
        assertThat(quoted)
            .as("quoted %s", v)
            .doesNotContain("\n")
            .startsWith("x \"")
            .endsWith("\";");
        String inner = quoted.substring(3, quoted.length() - 2);
        assertThat(inner.replaceAll("\\\\[\\\\\"nrt]", "")).doesNotContain("\"");
      }
      // line (the default): no value can add a line
      boolean breaks =
          v.chars()
              .anyMatch(
                  c ->
                      (c < 0x20 && c != '\t')
                          || c == 0x7F
                          || c == 0x85
                          || c == 0x2028
                          || c == 0x2029);
      if (breaks) {
        assertThatThrownBy(() -> renderValue("x {{ v }};", v)).isInstanceOf(RenderException.class);
      } else {
        assertThat(renderValue("x {{ v }};", v)).isEqualTo("x " + v + ";");
      }
    }
    assertThat(dir.resolve("PWNED")).doesNotExist();
  }
}
