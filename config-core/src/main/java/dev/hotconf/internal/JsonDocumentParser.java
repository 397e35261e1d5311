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
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict JSON (RFC 8259) to tree through Jackson's streaming parser: no comments, no trailing
 * commas, no single quotes, no NaN. Same rules as YAML for the root, duplicate keys, dotted keys,
 * depth and size. Jackson's messages are rewritten so that they never quote document content.
 */
public final class JsonDocumentParser {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build())
      .build();
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

  private final ConfigOrigin origin;
  private final ParseLimits limits;
  private final List<Problem> problems = new ArrayList<>();
  private final TreeAssembler assembler;
  private JsonParser parser;
  private int depth;

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
        problems.add(Problem.at(root.origin(), "the document must be a JSON object, but it is a "
            + (root instanceof ConfigList ? "list" : "scalar")));
        result = ConfigObject.empty(root.origin());
      }
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      ConfigOrigin at = loc == null ? origin : origin.at(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
      problems.add(Problem.at(at, describe(e.getOriginalMessage())));
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
        String s = parser.getText();
        return ConfigScalar.of(s, s, at);
      case VALUE_NUMBER_INT:
        BigInteger big = parser.getBigIntegerValue();
        Object n = big.bitLength() < 64 ? (Object) big.longValue() : big;
        return ConfigScalar.of(n, parser.getText(), at);
      case VALUE_NUMBER_FLOAT:
        return ConfigScalar.of(parser.getDoubleValue(), parser.getText(), at);
      case VALUE_TRUE:
        return ConfigScalar.of(Boolean.TRUE, "true", at);
      case VALUE_FALSE:
        return ConfigScalar.of(Boolean.FALSE, "false", at);
      case VALUE_NULL:
        return ConfigScalar.of(null, "null", at);
      default:
        throw new LimitExceeded(Problem.at(at, "unexpected JSON token " + token));
    }
  }

  private ConfigObject readObject(ConfigOrigin at, String path) throws IOException {
    enter(at);
    TreeAssembler.MutableObject object = assembler.newObject(at);
    JsonToken t;
    while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
      ConfigOrigin keyAt = here();
      String key = parser.currentName();
      String childPath = PathSyntax.child(path, key.isEmpty() ? "\"\"" : key);
      ConfigNode value = readValue(parser.nextToken(), childPath);
      Object[] keyPath = assembler.keyPath(key, keyAt);
      if (keyPath != null) {
        object.put(keyPath, value, keyAt, childPath);
      }
    }
    depth--;
    return checkSize(object.build(), at);
  }

  private ConfigList readArray(ConfigOrigin at, String path) throws IOException {
    enter(at);
    List<ConfigNode> elements = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      elements.add(readValue(t, PathSyntax.child(path, elements.size())));
    }
    depth--;
    return checkSize(ConfigList.of(elements, at), at);
  }

  private void enter(ConfigOrigin at) {
    if (++depth > limits.maxNestingDepth()) {
      throw new LimitExceeded(Problem.at(at,
          "nesting depth exceeds the limit of " + limits.maxNestingDepth() + " (maxNestingDepth)"));
    }
  }

  private <N extends ConfigNode> N checkSize(N node, ConfigOrigin at) {
    if (node.leafCount() > limits.maxValues()) {
      throw new LimitExceeded(Problem.at(at,
          "document has more than " + limits.maxValues() + " values (maxValues)"));
    }
    return node;
  }

  private ConfigOrigin here() {
    JsonLocation loc = parser.currentTokenLocation();
    return origin.at(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
  }

  /** Jackson's message, without any quoted document content and without its hints. */
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
      return "unrecognized token: expected a JSON value (string, number, object, array, true, false or null)";
    }
    if (m.startsWith("Unexpected character ('}'") || m.startsWith("Unexpected character (']'")) {
      if (m.contains("was expecting double-quote to start field name")
          || m.contains("expected a value")) {
        return "found a trailing comma (not allowed in JSON)";
      }
    }
    if (m.startsWith("Duplicate field")) {
      Matcher q = QUOTED.matcher(m);
      return q.find() ? "found duplicate key " + q.group() : "found duplicate key";
    }
    Matcher matcher = QUOTED.matcher(m);
    StringBuilder sb = new StringBuilder();
    while (matcher.find()) {
      String quoted = matcher.group();
      // keep single characters (they describe syntax, e.g. ','), drop longer quoted content
      matcher.appendReplacement(sb, Matcher.quoteReplacement(quoted.length() <= 3 ? quoted : "…"));
    }
    matcher.appendTail(sb);
    String out = sb.toString().replaceAll("\\s*\\(code \\d+\\)", "").trim();
    return out.isEmpty() ? "invalid JSON" : Character.toLowerCase(out.charAt(0)) + out.substring(1);
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
