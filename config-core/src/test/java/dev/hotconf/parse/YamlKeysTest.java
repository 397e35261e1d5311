package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.position;
import static dev.hotconf.parse.Parsing.value;
import static dev.hotconf.parse.Parsing.yaml;
import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** YAML keys: duplicates, dotted paths, invalid keys and {@code <<} merge keys. */
@Timeout(10)
class YamlKeysTest {

  @Test
  void duplicateKeyPointsAtSecondOccurrence() {
    ConfigParseException e =
        yamlError(
            """
        timeout: 1
        retries: 3
        timeout: 2
        """);

    assertThat(e).hasMessage("app.yaml:3:1: found duplicate key 'timeout'");
  }

  @Test
  void nestedDuplicateKeyIsReportedWithItsFullPath() {
    ConfigParseException e =
        yamlError(
            """
        db:
          pool:
            size: 1
            max: 5
            size: 2
        """);

    assertThat(e).hasMessage("app.yaml:5:5: found duplicate key 'db.pool.size'");
  }

  @Test
  void duplicateKeyInFlowMapping() {
    assertThat(yamlError("db: {host: a, host: b}\n"))
        .hasMessage("app.yaml:1:15: found duplicate key 'db.host'");
  }

  @Test
  void duplicateKeyInsideAListElement() {
    ConfigParseException e =
        yamlError(
            """
        servers:
          - host: a
            host: b
        """);

    assertThat(e).hasMessage("app.yaml:3:5: found duplicate key 'servers[0].host'");
  }

  @Test
  void repeatedMappingKeyIsADuplicateEvenWhenBothValuesAreMappings() {
    ConfigParseException e =
        yamlError(
            """
        db:
          host: a
        db:
          port: 1
        """);

    assertThat(e).hasMessage("app.yaml:3:1: found duplicate key 'db'");
  }

  @Test
  void dottedKeyAddingToANestedMappingIsNotADuplicate() {
    ConfigObject root =
        yaml(
            """
        db:
          host: a
        db.port: 1
        """);

    assertThat(root.unwrapped()).isEqualTo(Map.of("db", Map.of("host", "a", "port", 1L)));
  }

  @Test
  void everyDuplicateIsListed() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        b: 1
        a: 2
        b: 2
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:3:1: found duplicate key 'a'", "app.yaml:4:1: found duplicate key 'b'");
    assertThat(e)
        .hasMessage(
            "2 problems:\n"
                + "  app.yaml:3:1: found duplicate key 'a'\n"
                + "  app.yaml:4:1: found duplicate key 'b'");
  }

  @Test
  void dottedKeyIsAPath() {
    ConfigObject dotted = yaml("db.pool.size: 5\n");
    ConfigObject nested =
        yaml(
            """
        db:
          pool:
            size: 5
        """);

    assertThat(dotted).isEqualTo(nested);
    assertThat(dotted.unwrapped()).isEqualTo(Map.of("db", Map.of("pool", Map.of("size", 5L))));
  }

  @Test
  void dottedKeysAndNestedMappingsMerge() {
    ConfigObject root =
        yaml(
            """
        db.host: a
        db:
          port: 5432
        db.pool.size: 5
        """);

    assertThat(root.unwrapped())
        .isEqualTo(Map.of("db", Map.of("host", "a", "port", 5432L, "pool", Map.of("size", 5L))));
    assertThat(position(root, "db.host")).isEqualTo("1:10");
    assertThat(position(root, "db.port")).isEqualTo("3:9");
    assertThat(position(root, "db.pool.size")).isEqualTo("4:15");
  }

  @Test
  void dottedKeyThenNestedMappingDuplicatePointsAtTheNestedKey() {
    ConfigParseException e =
        yamlError(
            """
        a.b: 1
        a:
          b: 2
        """);

    assertThat(e).hasMessage("app.yaml:3:3: found duplicate key 'a.b'");
  }

  @Test
  void nestedMappingThenDottedKeyDuplicatePointsAtTheDottedKey() {
    ConfigParseException e =
        yamlError(
            """
        a:
          b: 2
        a.b: 1
        """);

    assertThat(e).hasMessage("app.yaml:3:1: found duplicate key 'a.b'");
  }

  @Test
  void deepDuplicateThroughDottedKeysPointsAtTheInnermostKey() {
    ConfigParseException e =
        yamlError(
            """
        a.b:
          c.d: 1
        a:
          b:
            c:
              d: 2
        """);

    assertThat(e).hasMessage("app.yaml:6:7: found duplicate key 'a.b.c.d'");
  }

  @Test
  void dottedKeyThroughAScalarConflicts() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        a.b: 2
        """);

    assertThat(e).hasMessage("app.yaml:2:1: key 'a.b' conflicts with a value already set at 'a'");
  }

  @Test
  void scalarOverADottedPathIsADuplicate() {
    assertThat(yamlError("a.b: 1\na: 2\n")).hasMessage("app.yaml:2:1: found duplicate key 'a'");
  }

  @Test
  void keysWithBracketsAreRejected() {
    ConfigParseException e =
        yamlError(
            """
        servers[0]: a
        weird]: b
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:1: key 'servers[0]' contains '[', which is reserved for list indexes in paths",
            "app.yaml:2:1: key 'weird]' contains ']', which is reserved for list indexes in paths");
  }

  @Test
  void keysWithEmptySegmentsAreRejected() {
    ConfigParseException e =
        yamlError(
            """
        a..b: 1
        .c: 2
        d.: 3
        "": 4
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:1: key 'a..b' has an empty segment",
            "app.yaml:2:1: key '.c' has an empty segment",
            "app.yaml:3:1: key 'd.' has an empty segment",
            "app.yaml:4:1: empty key");
  }

  @Test
  void nullKeyIsRejected() {
    assertThat(yamlError("~: 1\n"))
        .hasMessage("app.yaml:1:1: found a null key: keys must be non-empty strings");
    assertThat(yamlError("a: 1\nnull: 2\n"))
        .hasMessage("app.yaml:2:1: found a null key: keys must be non-empty strings");
  }

  @Test
  void emptyExplicitKeyIsANullKey() {
    assertThat(yamlError("? \n: 1\n"))
        .hasMessage("app.yaml:1:2: found a null key: keys must be non-empty strings");
  }

  @Test
  void quotedNullIsAnOrdinaryKey() {
    assertThat(yaml("\"null\": 1\n").unwrapped()).isEqualTo(Map.of("null", 1L));
  }

  @Test
  void complexKeysAreRejected() {
    ConfigParseException e =
        yamlError(
            """
        ? [a, b]
        : 1
        ? {c: d}
        : 2
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:3: found a complex key (a mapping or list used as a key): keys must be strings",
            "app.yaml:3:3: found a complex key (a mapping or list used as a key): keys must be strings");
  }

  @Test
  void flowComplexKeyIsRejected() {
    assertThat(yamlError("{[a]: 1}\n"))
        .hasMessage(
            "app.yaml:1:2: found a complex key (a mapping or list used as a key): keys must be strings");
  }

  @Test
  void nonStringScalarKeysUseTheirText() {
    ConfigObject root =
        yaml(
            """
        8080: http
        true: yes
        010: ten
        """);

    assertThat(root.entries().keySet()).containsExactly("8080", "true", "010");
  }

  @Test
  void mergeKeyCopiesEntriesThatAreNotSetExplicitly() {
    ConfigObject root =
        yaml(
            """
        defaults: &defaults
          timeout: 5
          retries: 3
        service:
          <<: *defaults
          retries: 10
        """);

    assertThat(root.get("service").unwrapped()).isEqualTo(Map.of("timeout", 5L, "retries", 10L));
    assertThat(position(root, "service.timeout")).isEqualTo("2:12");
    assertThat(position(root, "service.retries")).isEqualTo("6:12");
  }

  @Test
  void explicitKeyWinsOverMergeKeyWhateverTheOrder() {
    ConfigObject root =
        yaml(
            """
        base: &b {a: 1, b: 2}
        x:
          b: 3
          <<: *b
        """);

    assertThat(value(root, "x.b")).isEqualTo(3L);
    assertThat(value(root, "x.a")).isEqualTo(1L);
  }

  @Test
  void mergeKeyWithAListOfMappingsGivesPrecedenceToTheFirst() {
    ConfigObject root =
        yaml(
            """
        one: &one {a: 1, b: 1}
        two: &two {b: 2, c: 2}
        x:
          <<: [*one, *two]
        """);

    assertThat(root.get("x").unwrapped()).isEqualTo(Map.of("a", 1L, "b", 1L, "c", 2L));
  }

  @Test
  void mergeKeyWithAnInlineMapping() {
    assertThat(yaml("<<: {a: 1}\nb: 2\n").unwrapped()).isEqualTo(Map.of("a", 1L, "b", 2L));
  }

  @Test
  void mergeKeyOfAScalarIsRejected() {
    assertThat(yamlError("x:\n  <<: 1\n"))
        .hasMessage("app.yaml:2:3: a '<<' merge key needs a mapping or a list of mappings");
    assertThat(yamlError("<<: [1]\n"))
        .hasMessage("app.yaml:1:1: a '<<' merge key needs a mapping or a list of mappings");
  }

  @Test
  void quotedMergeKeyIsAnOrdinaryKey() {
    assertThat(yaml("\"<<\": 1\n").unwrapped()).isEqualTo(Map.of("<<", 1L));
  }

  @Test
  void aliasSharesTheAnchoredValue() {
    ConfigObject root =
        yaml(
            """
        a: &hosts [x, y]
        b: *hosts
        """);

    assertThat(root.get("b").unwrapped()).isEqualTo(List.of("x", "y"));
    assertThat(root.get("b")).isSameAs(root.get("a"));
  }

  @Test
  void undefinedAliasIsRejected() {
    assertThat(yamlError("a: *nope\n")).hasMessage("app.yaml:1:4: found undefined alias '*nope'");
  }

  @Test
  void aliasInsideItsOwnAnchorIsRejected() {
    assertThat(yamlError("a: &x [1, *x]\n"))
        .hasMessage("app.yaml:1:11: found a recursive alias '*x' (an alias inside its own anchor)");
  }
}
