package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * YAML syntax errors: SnakeYAML's message condensed to one line, at the problem's line:column, with
 * where the unclosed construct started when that is elsewhere.
 */
@Timeout(10)
class YamlSyntaxErrorTest {

  @Test
  void tabIndentationGivesSnakeYamlsPositionedError() {
    ConfigParseException e =
        yamlError(
            """
        server:
        \tport: 8080
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:2:1: while scanning for the next token: found character "
                + "'\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)");
  }

  @Test
  void tabIndentationInsideANestedBlockPointsAtTheTab() {
    ConfigParseException e =
        yamlError(
            """
        server:
          host: a
        \t\tport: 1
        """);

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.origin()).isEqualTo(ConfigOrigin.of("file", "app.yaml", 3, 1));
              assertThat(p.message()).contains("Do not use \\t(TAB) for indentation");
            });
  }

  @Test
  void tabIndentationOfAListItemIsRejected() {
    ConfigParseException e = yamlError("servers:\n\t- a\n");

    assertThat(e.getMessage())
        .startsWith("app.yaml:2:1: while scanning for the next token: found character '\\t(TAB)'");
  }

  @Test
  void unclosedDoubleQuoteReportsTheEndOfStreamAndWhereTheQuoteOpened() {
    ConfigParseException e =
        yamlError(
            """
        name: "unclosed
        port: 8080
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:3:1: while scanning a quoted scalar at 1:7: found unexpected end of stream");
  }

  @Test
  void unclosedSingleQuoteReportsTheEndOfStreamAndWhereTheQuoteOpened() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        name: 'unclosed
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:3:1: while scanning a quoted scalar at 2:7: found unexpected end of stream");
  }

  @Test
  void unclosedFlowSequenceAtEndOfDocument() {
    ConfigParseException e = yamlError("hosts: [a, b\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:2:1: while parsing a flow sequence at 1:8: "
                + "expected ',' or ']', but got <stream end>");
  }

  @Test
  void unclosedFlowSequenceFollowedByMoreKeys() {
    ConfigParseException e =
        yamlError(
            """
        hosts: [a, b
        port: 8080
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:2:5: while parsing a flow sequence at 1:8: expected ',' or ']', but got :");
  }

  @Test
  void unclosedFlowMappingAtEndOfDocument() {
    ConfigParseException e = yamlError("db: {host: a, port: 1\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:2:1: while parsing a flow mapping at 1:5: "
                + "expected ',' or '}', but got <stream end>");
  }

  @Test
  void unclosedFlowMappingFollowedByMoreKeys() {
    ConfigParseException e =
        yamlError(
            """
        db: {host: a
        port: 8080
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:2:5: while parsing a flow mapping at 1:5: expected ',' or '}', but got :");
  }

  @Test
  void unclosedFlowBracketSpanningLines() {
    ConfigParseException e =
        yamlError(
            """
        a:
          b: [1,
             2
        c: 3
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:4:2: while parsing a flow sequence at 2:6: expected ',' or ']', but got :");
  }

  @Test
  void extraClosingBracket() {
    ConfigParseException e = yamlError("a: [1, 2]]\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:1:10: while parsing a block mapping at 1:1: expected <block end>, but found ']'");
  }

  @Test
  void keyWithoutColonPointsAtTheNextLine() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        b
        c: 2
        """);

    assertThat(e)
        .hasMessage(
            "app.yaml:3:1: while scanning a simple key at 2:1: could not find expected ':'");
  }

  @Test
  void badIndentationOfAMappingValue() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
         b: 2
        """);

    assertThat(e).hasMessage("app.yaml:2:3: mapping values are not allowed here");
  }

  @Test
  void mappingValueOnTheSameLineAsAnotherIsRejected() {
    assertThat(yamlError("a: b: c\n"))
        .hasMessage("app.yaml:1:5: mapping values are not allowed here");
  }

  @Test
  void reservedIndicatorCannotStartAValueAndTheTabHintIsDropped() {
    ConfigParseException e = yamlError("a: @x\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:1:4: while scanning for the next token: found character '@' that cannot start any token.");
  }

  @Test
  void unknownEscapeInDoubleQuotedStringPointsAtTheEscape() {
    ConfigParseException e = yamlError("a: \"ab\\qc\"\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:1:8: while scanning a double-quoted scalar at 1:4: found unknown escape character");
  }

  @Test
  void shortUnicodeEscape() {
    ConfigParseException e = yamlError("a: \"\\u00zz\"\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:1:7: while scanning a double-quoted scalar at 1:4: "
                + "expected escape sequence of 4 hexadecimal digits");
  }

  @Test
  void textAfterBlockScalarIndicator() {
    ConfigParseException e = yamlError("a: | text\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:1:6: while scanning a block scalar at 1:4: "
                + "expected a comment or a line break");
  }

  @Test
  void controlCharacterIsRejectedWithItsPosition() {
    ConfigParseException e = yamlError("a: 1\nb: x\u0001y\n");

    assertThat(e)
        .hasMessage(
            "app.yaml:2:5: found the non-printable character U+0001, which is not allowed in YAML");
  }

  @Test
  void deleteCharacterIsRejectedWithItsPosition() {
    assertThat(yamlError("a: \u007f\n"))
        .hasMessage(
            "app.yaml:1:4: found the non-printable character U+007F, which is not allowed in YAML");
  }

  @Test
  void controlCharacterColumnCountsCodePointsAfterAstralCharacters() {
    // U+1F600 is two chars in Java but one column, as SnakeYAML counts
    assertThat(yamlError("a: \uD83D\uDE00\u0002\n"))
        .hasMessage(
            "app.yaml:1:5: found the non-printable character U+0002, which is not allowed in YAML");
  }

  @Test
  void syntaxErrorStopsTheParseButKeepsEarlierProblems() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        a: 2
        b: [
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:2:1: found duplicate key 'a'",
            "app.yaml:4:1: while parsing a flow node: expected the node content, but found '<stream end>'");
    assertThat(e.getMessage()).startsWith("2 problems:\n  app.yaml:2:1: found duplicate key 'a'");
  }

  @Test
  void contentAfterExplicitDocumentEndIsRejected() {
    ConfigParseException e =
        yamlError(
            """
        a: 1
        ...
        b: 2
        """);

    assertThat(e)
        .hasMessage("app.yaml:3:1: expected '<document start>', but found '<block mapping start>'");
  }

  @Test
  void documentEndingRightAfterAnEscapeIsASyntaxErrorAtTheEnd() {
    // found by ParseFuzzTest#yaml: SnakeYAML itself throws NumberFormatException here
    for (String escape : new String[] {"\\x", "\\u", "\\U"}) {
      ConfigParseException e = yamlError("a: 1\nb: \"" + escape);

      assertThat(e)
          .hasMessage(
              "app.yaml:2:7: found unexpected end of stream inside an escape "
                  + "sequence (\\x, \\u or \\U) of a double-quoted string");
    }
  }
}
