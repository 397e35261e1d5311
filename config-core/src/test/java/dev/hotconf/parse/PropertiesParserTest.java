package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.position;
import static dev.hotconf.parse.Parsing.properties;
import static dev.hotconf.parse.Parsing.propertiesError;
import static dev.hotconf.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code .properties}: Properties.load syntax, with line numbers, path keys and typed values. */
@Timeout(10)
class PropertiesParserTest {

  @Test
  void separatorsEqualsColonAndWhitespace() {
    ConfigObject root =
        properties(
            """
        a=1
        b = 2
        c:3
        d : 4
        e 5
        f\t6
        g   =   7
        """);

    assertThat(root.unwrapped())
        .isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L, "d", 4L, "e", 5L, "f", 6L, "g", 7L));
  }

  @Test
  void valueKeepsSeparatorCharactersAfterTheFirst() {
    ConfigObject root =
        properties(
            """
        url=jdbc:postgresql://db:5432/app?a=b
        time: 12:30
        """);

    assertThat(value(root, "url")).isEqualTo("jdbc:postgresql://db:5432/app?a=b");
    assertThat(value(root, "time")).isEqualTo("12:30");
  }

  @Test
  void commentsAndBlankLinesAreSkipped() {
    ConfigObject root =
        properties(
            """
        # hash comment
        ! bang comment
           # indented comment

        a=1
        b=2 # not a comment
        """);

    assertThat(root.unwrapped()).isEqualTo(Map.of("a", 1L, "b", "2 # not a comment"));
    assertThat(position(root, "a")).isEqualTo("5:1");
  }

  @Test
  void continuationLinesJoinWithLeadingWhitespaceStripped() {
    ConfigObject root =
        properties(
            """
        hosts = a, \\
                b, \\
                c
        after = 1
        """);

    assertThat(value(root, "hosts")).isEqualTo("a, b, c");
    assertThat(position(root, "hosts")).isEqualTo("1:1");
    assertThat(position(root, "after")).isEqualTo("4:1");
  }

  @Test
  void continuationInsideAKey() {
    assertThat(properties("db\\\n  .host = x\n").unwrapped())
        .isEqualTo(Map.of("db", Map.of("host", "x")));
  }

  @Test
  void evenNumberOfTrailingBackslashesIsNotAContinuation() {
    ConfigObject root =
        properties(
            """
        dir = C:\\\\temp\\\\
        next = 1
        """);

    assertThat(value(root, "dir")).isEqualTo("C:\\temp\\");
    assertThat(value(root, "next")).isEqualTo(1L);
  }

  @Test
  void continuationAtEndOfFileIsDropped() {
    assertThat(value(properties("a = x\\"), "a")).isEqualTo("x");
  }

  @Test
  void escapes() {
    ConfigObject root =
        properties(
            """
        tab = a\\tb
        nl = a\\nb
        cr = a\\rb
        ff = a\\fb
        other = \\q\\#\\!\\=\\:
        key\\ with\\ spaces = v
        colon\\:key = w
        eq\\=key = z
        """);

    assertThat(value(root, "tab")).isEqualTo("a\tb");
    assertThat(value(root, "nl")).isEqualTo("a\nb");
    assertThat(value(root, "cr")).isEqualTo("a\rb");
    assertThat(value(root, "ff")).isEqualTo("a\fb");
    assertThat(value(root, "other")).isEqualTo("q#!=:");
    assertThat(root.entries().keySet()).contains("key with spaces", "colon:key", "eq=key");
  }

  @Test
  void unicodeEscapes() {
    ConfigObject root =
        properties(
            """
        a = caf\\u00e9
        b = \\u2603 snow
        \\u006b\\u0065\\u0079 = k
        """);

    assertThat(value(root, "a")).isEqualTo("café");
    assertThat(value(root, "b")).isEqualTo("☃ snow");
    assertThat(value(root, "key")).isEqualTo("k");
  }

  @Test
  void unicodeEscapeOfASurrogatePairGivesOneCodePoint() {
    assertThat(value(properties("a = \\uD83D\\uDE00\n"), "a")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void malformedUnicodeEscapeIsRejected() {
    assertThat(propertiesError("a = 1\nb = \\u12\n"))
        .hasMessage("app.properties:2:1: malformed \\uXXXX escape");
    assertThat(propertiesError("b = \\u12zz\n"))
        .hasMessage("app.properties:1:1: malformed \\uXXXX escape");
  }

  @Test
  void fileIsReadAsUtf8() {
    assertThat(value(properties("name = héllo wörld ☃\n"), "name")).isEqualTo("héllo wörld ☃");
  }

  @Test
  void valuesAreTypedButNeverNull() {
    ConfigObject root =
        properties(
            """
        empty =
        nul = null
        tilde = ~
        flag = TRUE
        yes = yes
        oct = 010
        hex = 0x1F
        f = 1e3
        inf = .inf
        """);

    assertThat(value(root, "empty")).isEqualTo("");
    assertThat(value(root, "nul")).isEqualTo("null");
    assertThat(value(root, "tilde")).isEqualTo("~");
    assertThat(value(root, "flag")).isEqualTo(true);
    assertThat(value(root, "yes")).isEqualTo("yes");
    assertThat(value(root, "oct")).isEqualTo(10L);
    assertThat(value(root, "hex")).isEqualTo(31L);
    assertThat(value(root, "f")).isEqualTo(1000.0);
    assertThat(value(root, "inf")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void trailingWhitespaceOfAValueIsKeptLikePropertiesLoad() {
    assertThat(value(properties("a = x  \n"), "a")).isEqualTo("x  ");
  }

  @Test
  void keyWithoutValueIsAnEmptyString() {
    assertThat(value(properties("flag\n"), "flag")).isEqualTo("");
  }

  @Test
  void dottedKeysBuildObjects() {
    assertThat(properties("db.host=a\ndb.pool.size=5\n").unwrapped())
        .isEqualTo(Map.of("db", Map.of("host", "a", "pool", Map.of("size", 5L))));
  }

  @Test
  void indexedKeysBuildLists() {
    ConfigObject root =
        properties(
            """
        servers[0].host=a
        servers[1].host=b
        servers[0].port=1
        tags[1]=y
        tags[0]=x
        matrix[0][1]=b
        matrix[0][0]=a
        """);

    assertThat(root.unwrapped())
        .isEqualTo(
            Map.of(
                "servers", List.of(Map.of("host", "a", "port", 1L), Map.of("host", "b")),
                "tags", List.of("x", "y"),
                "matrix", List.of(List.of("a", "b"))));
    assertThat(position(root, "servers[1].host")).isEqualTo("2:1");
  }

  @Test
  void listWithAGapIsRejected() {
    assertThat(propertiesError("tags[0]=x\ntags[2]=z\n"))
        .hasMessage(
            "app.properties:1:1: tags: list has no element [1] (indexes must run 0, 1, 2, ... without gaps)");
  }

  @Test
  void listNotStartingAtZeroIsRejected() {
    assertThat(propertiesError("servers[1].host=x\n"))
        .hasMessage(
            "app.properties:1:1: servers: list has no element [0] (indexes must run 0, 1, 2, ... without gaps)");
  }

  @Test
  void duplicateKeyPointsAtSecondOccurrence() {
    ConfigParseException e =
        propertiesError(
            """
        timeout=1
        retries=3
        timeout=2
        """);

    assertThat(e).hasMessage("app.properties:3:1: found duplicate key 'timeout'");
  }

  @Test
  void duplicateWrittenDifferentlyIsStillADuplicate() {
    ConfigParseException e =
        propertiesError(
            """
        db.host = a
          db\\u002ehost: b
        servers[0] = x
        servers[0]   y
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.properties:2:3: found duplicate key 'db.host'",
            "app.properties:4:1: found duplicate key 'servers[0]'");
  }

  @Test
  void duplicateAfterAContinuationPointsAtTheStartOfItsLogicalLine() {
    ConfigParseException e =
        propertiesError(
            """
        a = 1, \\
            2
        b = 3
        a = 4
        """);

    assertThat(e).hasMessage("app.properties:4:1: found duplicate key 'a'");
  }

  @Test
  void valueUnderAScalarConflicts() {
    assertThat(propertiesError("a=1\na.b=2\n"))
        .hasMessage("app.properties:2:1: key 'a.b' conflicts with a value already set at 'a'");
  }

  @Test
  void scalarOverAnObjectIsADuplicate() {
    assertThat(propertiesError("a.b=1\na=2\n"))
        .hasMessage("app.properties:2:1: found duplicate key 'a'");
  }

  @Test
  void indexUnderAnObjectConflicts() {
    assertThat(propertiesError("s.a=1\ns[0]=2\n"))
        .hasMessage("app.properties:2:1: key 's[0]' conflicts with a value already set at 's'");
    assertThat(propertiesError("s[0]=x\ns.a=1\n"))
        .hasMessage("app.properties:2:1: key 's.a' conflicts with a value already set at 's'");
  }

  @Test
  void malformedKeysAreRejected() {
    ConfigParseException e =
        propertiesError(
            """
        a..b=1
        a.=2
        [0]=3
        a[x]=4
        a[0=5
        a]=6
        a[0]b=7
        a.[0]=8
        =9
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.properties:1:1: empty segment in key 'a..b'",
            "app.properties:2:1: key 'a.' ends with '.'",
            "app.properties:3:1: empty segment in key '[0]'",
            "app.properties:4:1: bad list index [x] in key 'a[x]'",
            "app.properties:5:1: unclosed '[' in key 'a[0'",
            "app.properties:6:1: unexpected ']' in key 'a]'",
            "app.properties:7:1: expected '.' or '[' after ']' in key 'a[0]b'",
            "app.properties:8:1: empty segment in key 'a.[0]'",
            "app.properties:9:1: empty key");
  }

  @Test
  void everyProblemIsListed() {
    ConfigParseException e = propertiesError("a=1\na=2\nb=1\nb=2\n");

    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage())
        .isEqualTo(
            "2 problems:\n"
                + "  app.properties:2:1: found duplicate key 'a'\n"
                + "  app.properties:4:1: found duplicate key 'b'");
  }

  @Test
  void crLfAndCrLineEndingsCountLines() {
    assertThat(propertiesError("a=1\r\nb=2\r\na=3\r\n"))
        .hasMessage("app.properties:3:1: found duplicate key 'a'");
    assertThat(propertiesError("a=1\rb=2\ra=3\r"))
        .hasMessage("app.properties:3:1: found duplicate key 'a'");
  }

  @Test
  void byteOrderMarkIsSkipped() {
    assertThat(properties("\uFEFFa=1\n").unwrapped()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void emptyFileIsAnEmptyConfig() {
    assertThat(properties("").isEmpty()).isTrue();
    assertThat(properties("# only a comment\n\n").isEmpty()).isTrue();
  }

  @Test
  void deepKeyOverTheNestingLimitIsRejected() {
    String ok = String.join(".", java.util.Collections.nCopies(64, "k"));
    String tooDeep = String.join(".", java.util.Collections.nCopies(65, "k"));

    assertThat(properties(ok + "=1\n")).isNotNull();
    assertThat(propertiesError("a=1\n" + tooDeep + "=1\n").getMessage())
        .startsWith("app.properties:2:1: key 'k.k.k")
        .endsWith("' makes the nesting depth exceed the limit of 64 (maxNestingDepth)");
  }

  @Test
  void maxValuesLimitsTheNumberOfEntries() {
    ParseLimits two = ParseLimits.builder().maxValues(2).build();

    ConfigParseException e =
        Parsing.error(
            ConfigFormat.PROPERTIES,
            "a=1\nb=2\n\nc=3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            two);

    assertThat(e).hasMessage("app.properties:4:1: document has more than 2 values (maxValues)");
  }

  @Test
  void agreesWithJavaUtilPropertiesOnSyntax() throws Exception {
    String text =
        """
        # comment
        a = 1
        b:2
        c 3
        d\\ e = f \\
           g
        h = \\u0041\\t\\\\
        i
          j = k
        """;
    Properties expected = new Properties();
    expected.load(new StringReader(text));

    ConfigObject root = properties(text);

    for (String key : expected.stringPropertyNames()) {
      assertThat(Parsing.scalar(root, key).text()).as(key).isEqualTo(expected.getProperty(key));
    }
    assertThat(root.size()).isEqualTo(expected.size());
  }
}
