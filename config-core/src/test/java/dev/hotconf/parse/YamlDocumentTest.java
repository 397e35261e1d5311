package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.yaml;
import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shape of a YAML stream: exactly one mapping document, or nothing at all. */
@Timeout(10)
class YamlDocumentTest {

  @Test
  void secondDocumentIsRejectedAtItsMarker() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        ---
        b: 2
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:2:1: found a second YAML document: a config file holds exactly one document");
  }

  @Test
  void secondDocumentAfterAnExplicitFirstIsRejected() {
    ConfigParseException e =
        yamlError(
            """
        ---
        a: 1
        ...
        ---
        b: 2
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:4:1: found a second YAML document: a config file holds exactly one document");
  }

  @Test
  void emptySecondDocumentIsStillASecondDocument() {
    assertThat(yamlError("a: 1\n---\n"))
        .hasMessage(
            "app.yaml:2:1: found a second YAML document: a config file holds exactly one document");
  }

  @Test
  void singleExplicitDocumentIsAccepted() {
    assertThat(yaml("---\na: 1\n...\n").unwrapped()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void emptyFileIsAnEmptyConfig() {
    ConfigObject root = yaml("");

    assertThat(root.isEmpty()).isTrue();
    assertThat(root.origin()).isEqualTo(ConfigOrigin.of("file", "app.yaml", 1, 1));
  }

  @Test
  void commentsOnlyIsAnEmptyConfig() {
    assertThat(yaml("# nothing here\n\n   # still nothing\n").isEmpty()).isTrue();
  }

  @Test
  void whitespaceOnlyIsAnEmptyConfig() {
    assertThat(yaml("\n   \n\n").isEmpty()).isTrue();
  }

  @Test
  void documentMarkerAloneIsAnEmptyConfig() {
    assertThat(yaml("---\n").isEmpty()).isTrue();
    assertThat(yaml("--- # empty\n...\n").isEmpty()).isTrue();
  }

  @Test
  void explicitNullDocumentIsAnEmptyConfig() {
    assertThat(yaml("~\n").isEmpty()).isTrue();
    assertThat(yaml("null\n").isEmpty()).isTrue();
  }

  @Test
  void byteOrderMarkIsSkipped() {
    assertThat(yaml("\uFEFFa: 1\n").unwrapped()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void scalarRootIsRejected() {
    assertThat(yamlError("just a string\n"))
        .hasMessage(
            "app.yaml:1:1: the document must be a mapping of keys to values, but it is a scalar");
  }

  @Test
  void quotedScalarRootIsRejected() {
    assertThat(yamlError("# header\n\"text\"\n"))
        .hasMessage(
            "app.yaml:2:1: the document must be a mapping of keys to values, but it is a scalar");
  }

  @Test
  void numericRootIsRejected() {
    assertThat(yamlError("42\n"))
        .hasMessage(
            "app.yaml:1:1: the document must be a mapping of keys to values, but it is a scalar");
  }

  @Test
  void blockListRootIsRejected() {
    assertThat(yamlError("- a\n- b\n"))
        .hasMessage(
            "app.yaml:1:1: the document must be a mapping of keys to values, but it is a list");
  }

  @Test
  void flowListRootIsRejected() {
    assertThat(yamlError("---\n[a, b]\n"))
        .hasMessage(
            "app.yaml:2:1: the document must be a mapping of keys to values, but it is a list");
  }

  @Test
  void flowMappingRootIsAccepted() {
    assertThat(yaml("{a: 1, b: [x]}\n").unwrapped()).hasToString("{a=1, b=[x]}");
  }

  @Test
  void crLfAndCrLineBreaksKeepLineNumbers() {
    assertThat(yamlError("a: 1\r\nb: 2\r\na: 3\r\n"))
        .hasMessage("app.yaml:3:1: found duplicate key 'a'");
    assertThat(yamlError("a: 1\rb: 2\ra: 3\r")).hasMessage("app.yaml:3:1: found duplicate key 'a'");
  }

  @Test
  void keyOrderIsKept() {
    assertThat(yaml("z: 1\na: 2\nm: 3\n").entries().keySet()).containsExactly("z", "a", "m");
  }
}
