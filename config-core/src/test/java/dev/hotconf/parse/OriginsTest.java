package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.position;
import static dev.hotconf.parse.Parsing.resource;
import static dev.hotconf.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every node carries its origin: the document's location and the 1-based line:column where the node
 * starts (for properties, where its key starts).
 */
@Timeout(10)
class OriginsTest {

  @Test
  void yamlOriginsPointAtEachValue() {
    ConfigObject root =
        Parsing.parse(ConfigFormat.YAML, resource("service.yaml"), ParseLimits.defaults());

    assertThat(root.origin()).isEqualTo(ConfigOrigin.of("file", "app.yaml", 2, 1));
    assertThat(position(root, "server")).isEqualTo("3:3");
    assertThat(position(root, "server.host")).isEqualTo("3:9");
    assertThat(position(root, "server.port")).isEqualTo("4:9");
    assertThat(position(root, "server.tls")).isEqualTo("5:8");
    assertThat(position(root, "server.tls.enabled")).isEqualTo("5:19");
    assertThat(position(root, "server.tls.protocols")).isEqualTo("5:36");
    assertThat(position(root, "server.tls.protocols[0]")).isEqualTo("5:37");
    assertThat(position(root, "server.tls.protocols[1]")).isEqualTo("5:46");
    assertThat(position(root, "db.pool.size")).isEqualTo("6:15");
    assertThat(position(root, "servers")).isEqualTo("8:3");
    assertThat(position(root, "servers[0]")).isEqualTo("8:5");
    assertThat(position(root, "servers[0].host")).isEqualTo("8:11");
    assertThat(position(root, "servers[0].port")).isEqualTo("9:11");
    assertThat(position(root, "servers[1].host")).isEqualTo("10:11");
    assertThat(position(root, "servers[1].weight")).isEqualTo("11:13");
    assertThat(position(root, "tags[0]")).isEqualTo("12:8");
    assertThat(position(root, "tags[1]")).isEqualTo("13:8");
    assertThat(position(root, "description")).isEqualTo("14:14");
    assertThat(position(root, "empty")).isEqualTo("17:7");
  }

  @Test
  void yamlValuesOfTheServiceConfig() {
    ConfigObject root =
        Parsing.parse(ConfigFormat.YAML, resource("service.yaml"), ParseLimits.defaults());

    assertThat(value(root, "server.host")).isEqualTo("0.0.0.0");
    assertThat(value(root, "server.port")).isEqualTo(8080L);
    assertThat(value(root, "server.tls.enabled")).isEqualTo(true);
    assertThat(root.get("tags").unwrapped()).isEqualTo(List.of("blue", "green"));
    assertThat(value(root, "description")).isEqualTo("folded text\n");
    assertThat(value(root, "empty")).isNull();
  }

  @Test
  void jsonOriginsPointAtEachValue() {
    ConfigObject root =
        Parsing.parse(ConfigFormat.JSON, resource("service.json"), ParseLimits.defaults());

    assertThat(root.origin()).isEqualTo(ConfigOrigin.of("file", "app.json", 1, 1));
    assertThat(position(root, "server")).isEqualTo("2:13");
    assertThat(position(root, "server.host")).isEqualTo("3:13");
    assertThat(position(root, "server.port")).isEqualTo("4:13");
    assertThat(position(root, "server.tls.enabled")).isEqualTo("5:25");
    assertThat(position(root, "server.tls.protocols")).isEqualTo("5:44");
    assertThat(position(root, "server.tls.protocols[1]")).isEqualTo("5:56");
    assertThat(position(root, "db.pool.size")).isEqualTo("7:19");
    assertThat(position(root, "servers[0]")).isEqualTo("9:5");
    assertThat(position(root, "servers[0].port")).isEqualTo("9:36");
    assertThat(position(root, "servers[1]")).isEqualTo("10:5");
    assertThat(position(root, "servers[1].weight")).isEqualTo("12:17");
    assertThat(position(root, "tags[1]")).isEqualTo("16:12");
    assertThat(position(root, "empty")).isEqualTo("17:12");
  }

  @Test
  void jsonAndYamlGiveTheSameTree() {
    ConfigObject yaml =
        Parsing.parse(ConfigFormat.YAML, resource("service.yaml"), ParseLimits.defaults());
    ConfigObject json =
        Parsing.parse(ConfigFormat.JSON, resource("service.json"), ParseLimits.defaults());

    Map<String, Object> expected = new java.util.LinkedHashMap<>(yaml.unwrapped());
    expected.remove("description");
    assertThat(json.unwrapped()).isEqualTo(expected);
  }

  @Test
  void propertiesOriginsPointAtEachKey() {
    ConfigObject root =
        Parsing.parse(
            ConfigFormat.PROPERTIES, resource("service.properties"), ParseLimits.defaults());

    assertThat(root.origin()).isEqualTo(ConfigOrigin.of("file", "app.properties", 1, 1));
    assertThat(position(root, "server.host")).isEqualTo("2:1");
    assertThat(position(root, "server.port")).isEqualTo("3:1");
    assertThat(position(root, "server.tls.protocols[1]")).isEqualTo("6:1");
    assertThat(position(root, "db.pool.size")).isEqualTo("7:1");
    assertThat(position(root, "servers[1].host")).isEqualTo("10:3");
    assertThat(position(root, "tags[1]")).isEqualTo("13:1");
    assertThat(position(root, "description")).isEqualTo("16:1");
  }

  @Test
  void propertiesGiveTheSameTreeAsYaml() {
    ConfigObject yaml =
        Parsing.parse(ConfigFormat.YAML, resource("service.yaml"), ParseLimits.defaults());
    ConfigObject props =
        Parsing.parse(
            ConfigFormat.PROPERTIES, resource("service.properties"), ParseLimits.defaults());

    Map<String, Object> expected = new java.util.LinkedHashMap<>(yaml.unwrapped());
    expected.remove("empty"); // properties have no null
    expected.put("description", "folded text");
    assertThat(props.unwrapped()).isEqualTo(expected);
  }

  @Test
  void aliasedNodeKeepsTheOriginOfItsAnchor() {
    ConfigObject root = Parsing.yaml("a: &x [1]\nb: *x\n");

    assertThat(position(root, "b")).isEqualTo("1:4");
    assertThat(position(root, "b[0]")).isEqualTo("1:8");
  }

  @Test
  void listElementsOfABlockSequenceHaveTheirOwnOrigins() {
    ConfigObject root =
        Parsing.yaml(
            """
        hosts:
          - a
          -   b
          - - nested
        """);

    assertThat(((ConfigList) root.get("hosts")).size()).isEqualTo(3);
    assertThat(position(root, "hosts")).isEqualTo("2:3");
    assertThat(position(root, "hosts[0]")).isEqualTo("2:5");
    assertThat(position(root, "hosts[1]")).isEqualTo("3:7");
    assertThat(position(root, "hosts[2]")).isEqualTo("4:5");
    assertThat(position(root, "hosts[2][0]")).isEqualTo("4:7");
  }

  @Test
  void columnsCountCharactersNotBytes() {
    ConfigObject yaml = Parsing.yaml("név: \"é\"\nb: ü\n");
    ConfigObject json = Parsing.json("{\"név\": \"é\", \"b\": \"ü\"}");

    assertThat(position(yaml, "b")).isEqualTo("2:4");
    assertThat(position(json, "b")).isEqualTo("1:19");
  }

  @Test
  void problemOriginsCarryTheDocumentsSourceAndLocation() {
    ConfigOrigin origin = ConfigOrigin.of("consul", "config/app@42");

    ConfigParseException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigParseException.class,
            () ->
                ConfigFormat.YAML.parse(
                    "a: 1\na: 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), origin));

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.origin().sourceName()).isEqualTo("consul");
              assertThat(p.origin().location()).isEqualTo("config/app@42");
              assertThat(p.origin().line()).isEqualTo(2);
              assertThat(p.origin().column()).isEqualTo(1);
            });
    assertThat(e).hasMessage("config/app@42:2:1: found duplicate key 'a'");
  }
}
