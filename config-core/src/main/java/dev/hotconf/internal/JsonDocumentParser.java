package dev.hotconf.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict JSON (RFC 8259) to tree through Jackson's streaming parser: no comments, no trailing
 * commas, no single quotes, no NaN. Same rules as YAML for the root, duplicate keys, dotted keys,
 * depth and size. Jackson's messages are rewritten so that they never quote document content.
 */
public final class JsonDocumentParser {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // numbers are bounded here, by ParseLimits.maxNumberDigits, with a message of ours
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(100_000)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .build())
          .build();
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
  private static final Pattern START_MARKER =
      Pattern.compile("start marker at \\[.*line: (\\d+), column: (\\d+)\\]");
  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile(
          "^Unexpected character \\((?:'(.)' \\(code \\d+[^)]*\\)|\\(CTRL-CHAR, code \\d+\\))\\)");
  private static final String EXPECTED_VALUE =
      "expected a JSON value (string, number, object, array, true, false or null)";

  private final ConfigOrigin origin;
  private final ParseLimits limits;
  private final List<Problem> problems = new ArrayList<>();
  private final TreeAssembler assembler;
  private JsonParser parser;

  /** Nesting depth: open objects and arrays plus levels added by dotted keys. */
  private int depth;

  private long values;

  private JsonDocumentParser(ConfigOrigin origin, ParseLimits limits) {
    this.origin = origin;
    this.limits = limits;
    this.assembler = new TreeAssembler(origin.at(1, 1), problems);
  }

  public static ConfigObject parse(byte[] content, ConfigOrigin origin, ParseLimits limits) {
    String text = DocumentText.decode(content, origin, limits);
    return new JsonDocumentParser(origin, limits).run(text);
  }

  private ConfigObject run(String text) {
    ConfigObject result;
    try (JsonParser p = FACTORY.createParser(text)) {
      this.parser = p;
      JsonToken first = p.nextToken();
      if (first == null) {
        return ConfigObject.empty(origin.at(1, 1));
      }
      ConfigNode root = readValue(first, "");
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        problems.add(Problem.at(here(), "found content after the end of the JSON document"));
      }
      if (root instanceof ConfigObject obj) {
        result = obj;
      } else {
        problems.add(
            Problem.at(
                root.origin(),
                "the document must be a JSON object, but it is a "
                    + (root instanceof ConfigList ? "list" : "scalar")));
        result = ConfigObject.empty(root.origin());
      }
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(text, e));
      throw new ConfigParseException(problems);
    } catch (LimitExceeded e) {
      problems.add(e.problem);
      throw new ConfigParseException(problems);
    } catch (IOException e) {
      problems.add(Problem.at(origin, "cannot read JSON: " + e.getClass().getSimpleName()));
      throw new ConfigParseException(problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return result;
  }

  private ConfigNode readValue(JsonToken token, String path) throws IOException {
    ConfigOrigin at = here();
    switch (token) {
      case START_OBJECT:
        return readObject(at, path);
      case START_ARRAY:
        return readArray(at, path);
      case VALUE_STRING:
        count(at);
        String s = parser.getText();
        return ConfigScalar.of(s, s, at);
      case VALUE_NUMBER_INT:
        {
          count(at);
          String digits = checkedNumber(at);
          if (digits == null) {
            return ConfigScalar.of(null, "null", at);
          }
          BigInteger big = parser.getBigIntegerValue();
          Object n = big.bitLength() < 64 ? (Object) big.longValue() : big;
          return ConfigScalar.of(n, digits, at);
        }
      case VALUE_NUMBER_FLOAT:
        {
          count(at);
          String digits = checkedNumber(at);
          if (digits == null) {
            return ConfigScalar.of(null, "null", at);
          }
          return ConfigScalar.of(parser.getDoubleValue(), digits, at);
        }
      case VALUE_TRUE:
        count(at);
        return ConfigScalar.of(Boolean.TRUE, "true", at);
      case VALUE_FALSE:
        count(at);
        return ConfigScalar.of(Boolean.FALSE, "false", at);
      case VALUE_NULL:
        count(at);
        return ConfigScalar.of(null, "null", at);
      default:
        throw new LimitExceeded(Problem.at(at, "unexpected JSON token " + token));
    }
  }

  private ConfigObject readObject(ConfigOrigin at, String path) throws IOException {
    enter(at);
    TreeAssembler.MutableObject object = assembler.newObject(at);
    Set<String> keys = new HashSet<>();
    JsonToken t;
    while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
      ConfigOrigin keyAt = here();
      String key = parser.currentName();
      String childPath = PathSyntax.child(path, key.isEmpty() ? "\"\"" : key);
      Object[] keyPath = assembler.keyPath(key, keyAt);
      int extra = keyPath == null ? 0 : keyPath.length - 1;
      if (depth + extra > limits.maxNestingDepth()) {
        throw new LimitExceeded(
            Problem.at(
                keyAt,
                "key '"
                    + key
                    + "' makes the nesting depth exceed "
                    + "the limit of "
                    + limits.maxNestingDepth()
                    + " (maxNestingDepth)"));
      }
      depth += extra;
      ConfigNode value = readValue(parser.nextToken(), childPath);
      depth -= extra;
      if (keyPath != null && !keys.add(key)) {
        // the same key written twice in one object, even if both values are objects
        problems.add(Problem.at(keyAt, "found duplicate key '" + childPath + "'"));
      } else if (keyPath != null) {
        object.put(keyPath, value, keyAt, childPath);
      }
    }
    depth--;
    ConfigObject built = object.build();
    if (built.isEmpty()) {
      count(at);
    }
    return built;
  }

  private ConfigList readArray(ConfigOrigin at, String path) throws IOException {
    enter(at);
    List<ConfigNode> elements = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      elements.add(readValue(t, PathSyntax.child(path, elements.size())));
    }
    depth--;
    if (elements.isEmpty()) {
      count(at);
    }
    return ConfigList.of(elements, at);
  }

  /**
   * The current number's text, or null (reported) when it has more digits than allowed: Jackson
   * reads numbers lazily, so nothing has converted it yet.
   */
  private String checkedNumber(ConfigOrigin at) throws IOException {
    String text = parser.getText();
    if (text.length() > limits.maxNumberDigits()
        && Scalars.numberDigits(text) > limits.maxNumberDigits()) {
      problems.add(
          Problem.at(
              at, Scalars.tooManyDigitsMessage(limits) + "; quote it to keep it as a string"));
      return null;
    }
    return text;
  }

  private void enter(ConfigOrigin at) {
    if (++depth > limits.maxNestingDepth()) {
      throw new LimitExceeded(
          Problem.at(
              at,
              "nesting depth exceeds the limit of "
                  + limits.maxNestingDepth()
                  + " (maxNestingDepth)"));
    }
  }

  /** Counts a leaf as it is read, so that a huge document stops early. */
  private void count(ConfigOrigin at) {
    if (++values > limits.maxValues()) {
      throw new LimitExceeded(
          Problem.at(at, "document has more than " + limits.maxValues() + " values (maxValues)"));
    }
  }

  private ConfigOrigin here() {
    JsonLocation loc = parser.currentTokenLocation();
    return origin.at(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
  }

  /**
   * A Jackson syntax error as a problem: at the right position (the comma of a trailing comma, the
   * start of an unrecognized token) and with a message that quotes no document content.
   */
  private Problem syntaxProblem(String text, JsonProcessingException e) {
    String message = e.getOriginalMessage();
    JsonLocation loc = e.getLocation();
    if (loc == null) {
      return Problem.at(origin, describe(message));
    }
    int offset = (int) Math.min(loc.getCharOffset(), text.length());
    if (offset >= 0
        && offset < text.length()
        && (text.charAt(offset) == '}' || text.charAt(offset) == ']')
        && message != null
        && message.startsWith("Unexpected character")) {
      int comma = offset - 1;
      while (comma >= 0 && isJsonWhitespace(text.charAt(comma))) {
        comma--;
      }
      if (comma >= 0 && text.charAt(comma) == ',') {
        return Problem.at(positionAt(text, comma), "found a trailing comma (not allowed in JSON)");
      }
    }
    if (offset >= 0
        && message != null
        && (message.startsWith("Unrecognized token") || message.startsWith("Non-standard token"))) {
      // Jackson reports these after the token: point at its start
      int start = offset;
      while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
        start--;
      }
      if (start > 0
          && start < offset
          && (text.charAt(start - 1) == '-' || text.charAt(start - 1) == '+')) {
        start--;
      }
      return Problem.at(positionAt(text, start), describe(message));
    }
    ConfigOrigin at =
        offset >= 0
            ? positionAt(text, offset)
            : origin.at(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    return Problem.at(at, describe(message));
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /**
   * Line and column (1-based, in chars) of {@code offset}, counting line breaks as Jackson does.
   */
  private ConfigOrigin positionAt(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return origin.at(line, offset - lineStart + 1);
  }

  /** Jackson's message in our words, without any document content and without its hints. */
  static String describe(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    String m = message;
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    if (m.startsWith("Unrecognized token")) {
      return "unrecognized token: " + EXPECTED_VALUE;
    }
    if (m.contains("maybe a (non-standard) comment")) {
      return "found a comment (not allowed in JSON)";
    }
    if (m.startsWith("Unexpected end-of-input")) {
      Matcher start = START_MARKER.matcher(m);
      String where = start.find() ? " opened at " + start.group(1) + ":" + start.group(2) : "";
      if (m.contains("close marker for Object")) {
        return "unexpected end of document: the object" + where + " is not closed";
      }
      if (m.contains("close marker for Array")) {
        return "unexpected end of document: the array" + where + " is not closed";
      }
      if (m.contains("closing quote")) {
        return "unexpected end of document inside a string";
      }
      return "unexpected end of document";
    }
    if (m.startsWith("Illegal unquoted character")) {
      return "found a control character in a string (it must be escaped, e.g. \\n or \\t)";
    }
    if (m.startsWith("Unrecognized character escape")) {
      return "found an invalid escape sequence in a string";
    }
    if (m.startsWith("Non-standard token")) {
      return "found NaN or Infinity, which are not allowed in JSON";
    }
    if (m.startsWith("Invalid numeric value: Leading zeroes")) {
      return "invalid number: leading zeroes are not allowed in JSON";
    }
    String prefix = "";
    Matcher unexpected = UNEXPECTED_CHAR.matcher(m);
    if (unexpected.find()) {
      String c = unexpected.group(1);
      prefix =
          c == null || !isSyntax(c.charAt(0))
              ? "unexpected character"
              : c.equals("'") ? "unexpected character \"'\"" : "unexpected character '" + c + "'";
      m = m.substring(unexpected.end());
    }
    m =
        m.replace(
            "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            EXPECTED_VALUE);
    m =
        m.replaceAll("\\[Source: [^\\]]*line: (\\d+), column: (\\d+)\\]", "$1:$2")
            .replaceAll("\\s*\\[Source: [^\\]]*\\]", "");
    Matcher quoted = QUOTED.matcher(m);
    StringBuilder sb = new StringBuilder();
    while (quoted.find()) {
      String q = quoted.group();
      // keep quoted syntax characters (e.g. ','); drop anything else: it may be document content
      boolean keep = q.length() == 3 && q.charAt(0) == '\'' && isSyntax(q.charAt(1));
      quoted.appendReplacement(sb, keep ? Matcher.quoteReplacement(q) : "");
    }
    quoted.appendTail(sb);
    String out =
        (prefix + sb)
            .replaceAll("\\s*\\((?:CTRL-CHAR, )?code \\d+[^)]*\\)", "")
            .replaceAll("\\s+", " ")
            .replace(" :", ":")
            .trim();
    return out.isEmpty() ? "invalid JSON" : Character.toLowerCase(out.charAt(0)) + out.substring(1);
  }

  /** JSON punctuation, safe to quote in a message. */
  private static boolean isSyntax(char c) {
    return "{}[],:\"'/#".indexOf(c) >= 0;
  }

  private static final class LimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Problem problem;

    LimitExceeded(Problem problem) {
      super(problem.message(), null, false, false);
      this.problem = problem;
    }
  }
}
