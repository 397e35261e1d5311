package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * YAML to tree, built from SnakeYAML's event stream rather than its constructors, so that nothing
 * is ever instantiated from a tag and every rule is ours to enforce with a position:
 *
 * <ul>
 *   <li>Scalars are typed by the YAML 1.2 core schema ({@link Scalars}); explicit tags are limited
 *       to the core ones ({@code !!str !!int !!float !!bool !!null !!map !!seq}); any other tag
 *       (custom, global, {@code !!binary}, {@code !!set}, Java class tags) is an error.
 *   <li>Duplicate keys, nesting depth, alias counts (to collections and to scalars), the number of
 *       values and the expanded size in bytes (every key and scalar, each alias counted as often as
 *       it is used), and the length of number literals are checked here, each with the line:column
 *       of the offending node. SnakeYAML's own alias limit only counts aliases to collections, and
 *       it applies to its composer, which is not used here.
 *   <li>Anchors and aliases share the built node (no copying); {@code <<} merge keys are supported.
 *   <li>Exactly one document: an empty stream is an empty config, a second document is an error.
 * </ul>
 *
 * Problems that do not stop the parse (duplicates, tags, bad keys) are collected; a syntax error
 * from SnakeYAML ends it.
 */
public final class YamlDocumentParser {
  private static final String CORE = "tag:yaml.org,2002:";

  private static final Set<String> SCALAR_TAGS =
      Set.of(CORE + "str", CORE + "int", CORE + "float", CORE + "bool", CORE + "null");

  /**
   * Longest line accepted, in characters. SnakeYAML's reader re-copies its unread window for every
   * 1 KiB it reads ahead, so a single token or comment of n characters costs O(n^2): a 4 MiB
   * one-line document takes seconds. At this length a full-size document parses about as fast as
   * ordinary YAML. Long values fit in block scalars, which are read line by line.
   */
  static final int MAX_LINE_LENGTH = 256 * 1024;

  /** SnakeYAML's "but found X(code)" tail, which would quote a character of the document. */
  private static final Pattern FOUND_CHAR = Pattern.compile(", but found:? (.*)\\((\\d+)\\)$");

  private final String text;
  private final ConfigOrigin origin;
  private final ParseLimits limits;
  private final Parser parser;
  private final List<Problem> problems = new ArrayList<>();
  private final TreeAssembler assembler;
  private final Map<String, ConfigNode> anchors = new HashMap<>();

  /** For each anchor, how many levels of nesting its node holds (0 for a scalar). */
  private final Map<String, Integer> anchorHeights = new HashMap<>();

  /** For each anchor, the bytes of the keys and scalars its node holds, aliases expanded. */
  private final Map<String, Long> anchorBytes = new HashMap<>();

  /**
   * Alias and tag names are document text: not quoted under keys this redactor treats as secret.
   */
  private final Redactor redactor;

  private final Set<String> openAnchors = new HashSet<>();

  /** Nesting depth of the node being read: open collections plus levels added by dotted keys. */
  private int depth;

  /** The deepest level reached inside the node being read, counting alias expansions. */
  private int deepest;

  private int aliases;

  private int scalarAliases;

  /** Leaves read so far, with aliases counted as often as they are used. */
  private long values;

  /** UTF-8 bytes of the keys and scalars read so far, with aliases expanded. */
  private long expandedBytes;

  private int readingKey;

  private YamlDocumentParser(
      String text, ConfigOrigin origin, ParseLimits limits, Redactor redactor) {
    this.text = text;
    this.origin = origin;
    this.limits = limits;
    this.redactor = redactor;
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(limits.maxAliases());
    // SnakeYAML's own limits sit above ours, which report with a position
    options.setNestingDepthLimit(plusOne(limits.maxNestingDepth()));
    options.setCodePointLimit(plusOne(limits.maxDocumentBytes()));
    options.setProcessComments(false);
    this.parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    this.assembler = new TreeAssembler(origin.at(1, 1), problems);
  }

  private static int plusOne(int limit) {
    return limit == Integer.MAX_VALUE ? limit : limit + 1;
  }

  public static ConfigObject parse(
      byte[] content, ConfigOrigin origin, ParseLimits limits, Redactor redactor) {
    String text = DocumentText.decode(content, origin, limits);
    checkCharacters(text, origin);
    return new YamlDocumentParser(text, origin, limits, redactor).run();
  }

  /**
   * Rejects characters YAML does not allow (control characters other than tab and line breaks),
   * with their position, which SnakeYAML would report without a usable one; and lines over {@link
   * #MAX_LINE_LENGTH}.
   */
  private static void checkCharacters(String text, ConfigOrigin origin) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        throw new ConfigParseException(
            origin.at(line, column),
            String.format(
                "found the non-printable character U+%04X, which is not allowed in YAML", c));
      }
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r') {
        if (column > MAX_LINE_LENGTH) {
          throw new ConfigParseException(
              origin.at(line, column),
              "line is longer than "
                  + MAX_LINE_LENGTH
                  + " characters, the limit for YAML (write a long value as a block scalar)");
        }
        column++;
      }
      i += Character.charCount(c);
    }
  }

  private ConfigObject run() {
    ConfigObject result;
    try {
      result = readStream();
    } catch (MarkedYAMLException e) {
      problems.add(
          Problem.at(
              at(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark()),
              describe(e)));
      throw new ConfigParseException(problems);
    } catch (YAMLException e) {
      problems.add(Problem.at(origin, String.valueOf(e.getMessage())));
      throw new ConfigParseException(problems);
    } catch (LimitExceeded e) {
      problems.add(e.problem);
      throw new ConfigParseException(problems);
    } catch (NumberFormatException e) {
      // SnakeYAML's scanner parses the hex digits of an x, u or U escape without checking that
      // any follow: only a document ending right after such an escape gets here (found by fuzzing)
      problems.add(
          Problem.at(
              endOfDocument(),
              "found unexpected end of stream inside an escape sequence (\\x, \\u or \\U) of a double-quoted string"));
      throw new ConfigParseException(problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return result;
  }

  private ConfigObject readStream() {
    expect(Event.ID.StreamStart);
    if (parser.checkEvent(Event.ID.StreamEnd)) {
      return ConfigObject.empty(origin.at(1, 1));
    }
    expect(Event.ID.DocumentStart);
    ConfigNode root = readNode("");
    expect(Event.ID.DocumentEnd);
    if (parser.checkEvent(Event.ID.DocumentStart)) {
      Event second = parser.peekEvent();
      problems.add(
          Problem.at(
              at(second.getStartMark()),
              "found a second YAML document: a config file holds exactly one document"));
      return ConfigObject.empty(origin);
    }
    expect(Event.ID.StreamEnd);
    if (root instanceof ConfigObject obj) {
      return obj;
    }
    if (root instanceof ConfigScalar s && s.isNull()) {
      return ConfigObject.empty(root.origin());
    }
    problems.add(
        Problem.at(
            root.origin(),
            "the document must be a mapping of keys to values, but it is a "
                + (root instanceof ConfigList ? "list" : "scalar")));
    return ConfigObject.empty(root.origin());
  }

  private Event expect(Event.ID id) {
    Event e = parser.getEvent();
    if (!e.is(id)) {
      throw new IllegalStateException("unexpected YAML event " + e + ", expected " + id);
    }
    return e;
  }

  private ConfigNode readNode(String path) {
    Event event = parser.getEvent();
    if (event instanceof AliasEvent alias) {
      return resolveAlias(alias, path);
    }
    NodeEvent nodeEvent = (NodeEvent) event;
    String anchor = nodeEvent.getAnchor();
    int outerDeepest = deepest;
    deepest = depth;
    long bytesBefore = expandedBytes;
    if (anchor != null) {
      openAnchors.add(anchor);
    }
    ConfigNode node;
    if (event instanceof ScalarEvent scalar) {
      node = scalar(scalar, path);
    } else if (event instanceof MappingStartEvent mapping) {
      node = mapping(mapping, path);
    } else if (event instanceof SequenceStartEvent sequence) {
      node = sequence(sequence, path);
    } else {
      throw new IllegalStateException("unexpected YAML event " + event);
    }
    if (anchor != null) {
      openAnchors.remove(anchor);
      anchors.put(anchor, node);
      anchorHeights.put(anchor, deepest - depth);
      anchorBytes.put(anchor, expandedBytes - bytesBefore);
    }
    deepest = Math.max(outerDeepest, deepest);
    return node;
  }

  private ConfigNode resolveAlias(AliasEvent alias, String path) {
    String name = alias.getAnchor();
    ConfigNode target = anchors.get(name);
    // an unquoted value starting with * is an alias: under a secret key, its name is the secret
    String shown = redactor.isSecret(path) ? "" : " '*" + name + "'";
    if (target == null) {
      String why =
          openAnchors.contains(name)
              ? "found a recursive alias" + shown + " (an alias inside its own anchor)"
              : "found undefined alias" + shown;
      throw new LimitExceeded(Problem.at(at(alias.getStartMark()), why));
    }
    ConfigOrigin at = at(alias.getStartMark());
    if (target instanceof ConfigScalar) {
      if (++scalarAliases > limits.maxScalarAliases()) {
        throw new LimitExceeded(
            Problem.at(
                at,
                "more than "
                    + limits.maxScalarAliases()
                    + " aliases to scalars (maxScalarAliases)"));
      }
    } else if (++aliases > limits.maxAliases()) {
      throw new LimitExceeded(
          Problem.at(
              at, "more than " + limits.maxAliases() + " aliases to collections (maxAliases)"));
    }
    int reached = depth + anchorHeights.get(name);
    if (reached > limits.maxNestingDepth()) {
      throw new LimitExceeded(
          Problem.at(
              at,
              "alias"
                  + shown
                  + " makes the nesting depth exceed "
                  + "the limit of "
                  + limits.maxNestingDepth()
                  + " (maxNestingDepth)"));
    }
    deepest = Math.max(deepest, reached);
    count(target.leafCount(), at);
    grow(anchorBytes.get(name), at);
    return target;
  }

  private ConfigNode scalar(ScalarEvent e, String path) {
    ConfigOrigin at = at(e.getStartMark());
    count(1, at);
    String tag = e.getTag();
    String text = e.getValue();
    grow(utf8Length(text), at);
    if (tag == null || tag.equals("!")) {
      if (!e.isPlain() || tag != null) {
        return ConfigScalar.of(text, text, at);
      }
      try {
        return Scalars.resolvePlain(text, at, limits);
      } catch (ConfigParseException tooLong) {
        problems.addAll(tooLong.problems());
        return ConfigScalar.of(text, text, at);
      }
    }
    if (!SCALAR_TAGS.contains(tag)) {
      problems.add(Problem.at(at, unsupportedTag(tag, path)));
      return ConfigScalar.of(text, text, at);
    }
    String type = tag.substring(CORE.length());
    if ((type.equals("int") || type.equals("float"))
        && Scalars.numberDigits(text) > limits.maxNumberDigits()) {
      problems.add(Problem.at(at, Scalars.tooManyDigitsMessage(limits)));
      return ConfigScalar.of(text, text, at);
    }
    return explicitlyTagged(type, text, at);
  }

  private ConfigScalar explicitlyTagged(String type, String text, ConfigOrigin at) {
    Object value;
    switch (type) {
      case "str":
        return ConfigScalar.of(text, text, at);
      case "int":
        value = Scalars.parseInteger(text);
        break;
      case "float":
        Number n = Scalars.parseInteger(text);
        value = n != null ? Double.valueOf(n.doubleValue()) : Scalars.parseFloat(text);
        break;
      case "bool":
        value = Scalars.parseBoolean(text);
        break;
      default: // null
        if (!Scalars.isNull(text)) {
          problems.add(Problem.at(at, "a !!null value must be empty, ~ or null"));
        }
        return ConfigScalar.of(null, text, at);
    }
    if (value == null) {
      problems.add(Problem.at(at, "value is not a valid !!" + type));
      return ConfigScalar.of(text, text, at);
    }
    return ConfigScalar.of(value, text, at);
  }

  private ConfigNode mapping(MappingStartEvent e, String path) {
    ConfigOrigin at = at(e.getStartMark());
    checkCollectionTag(e, CORE + "map", at, path);
    enter(at);
    TreeAssembler.MutableObject object = assembler.newObject(at);
    List<ConfigNode> mergeSources = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    while (!parser.checkEvent(Event.ID.MappingEnd)) {
      Event keyEvent = parser.peekEvent();
      ConfigOrigin keyAt = at(keyEvent.getStartMark());
      String key = keyText(readKey(path), keyAt);
      boolean merge =
          key != null
              && key.equals("<<")
              && keyEvent instanceof ScalarEvent s
              && s.isPlain()
              && s.getTag() == null;
      Object[] keyPath = key == null || merge ? null : assembler.keyPath(key, keyAt);
      // a dotted key nests its value one level per extra segment; a merge key's value does not
      // nest at all (its entries land in this mapping)
      int extra = merge ? -1 : keyPath == null ? 0 : keyPath.length - 1;
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
      deepest = Math.max(deepest, depth);
      ConfigNode value = readNode(key == null ? path : PathSyntax.child(path, key));
      depth -= extra;
      if (merge) {
        collectMergeSources(value, keyAt, mergeSources);
      } else if (keyPath != null && !keys.add(key)) {
        // the same key written twice in one mapping, even if both values are mappings
        problems.add(
            Problem.at(keyAt, "found duplicate key '" + PathSyntax.child(path, key) + "'"));
      } else if (keyPath != null) {
        object.put(keyPath, value, keyAt, PathSyntax.child(path, key));
      }
    }
    parser.getEvent();
    for (ConfigNode source : mergeSources) {
      ((ConfigObject) source)
          .entries()
          .forEach(
              (k, v) -> {
                if (!object.containsKey(k)) {
                  object.putKey(k, v, v.origin());
                }
              });
    }
    depth--;
    ConfigObject built = object.build();
    if (built.isEmpty()) {
      count(1, at);
    }
    return built;
  }

  /** Reads a key, whose scalars are not values of the document. */
  private ConfigNode readKey(String path) {
    readingKey++;
    try {
      return readNode(path);
    } finally {
      readingKey--;
    }
  }

  /** The text of a key, or null (after reporting) when the key is not a usable string. */
  private String keyText(ConfigNode keyNode, ConfigOrigin keyAt) {
    if (keyNode instanceof ConfigScalar s) {
      if (s.isNull()) {
        problems.add(Problem.at(keyAt, "found a null key: keys must be non-empty strings"));
        return null;
      }
      return s.text();
    }
    problems.add(
        Problem.at(
            keyAt, "found a complex key (a mapping or list used as a key): keys must be strings"));
    return null;
  }

  private void collectMergeSources(ConfigNode value, ConfigOrigin keyAt, List<ConfigNode> out) {
    if (value instanceof ConfigObject) {
      out.add(value);
    } else if (value instanceof ConfigList list
        && list.elements().stream().allMatch(ConfigObject.class::isInstance)) {
      out.addAll(list.elements());
    } else {
      problems.add(Problem.at(keyAt, "a '<<' merge key needs a mapping or a list of mappings"));
    }
  }

  private ConfigNode sequence(SequenceStartEvent e, String path) {
    ConfigOrigin at = at(e.getStartMark());
    checkCollectionTag(e, CORE + "seq", at, path);
    enter(at);
    List<ConfigNode> elements = new ArrayList<>();
    while (!parser.checkEvent(Event.ID.SequenceEnd)) {
      elements.add(readNode(PathSyntax.child(path, elements.size())));
    }
    parser.getEvent();
    depth--;
    if (elements.isEmpty()) {
      count(1, at);
    }
    return ConfigList.of(elements, at);
  }

  private void checkCollectionTag(
      CollectionStartEvent e, String expected, ConfigOrigin at, String path) {
    String tag = e.getTag();
    if (tag != null && !tag.equals("!") && !tag.equals(expected)) {
      problems.add(Problem.at(at, unsupportedTag(tag, path)));
    }
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
    deepest = Math.max(deepest, depth);
  }

  /** Counts leaves as they are read, so that an alias bomb stops at the alias that tips it over. */
  private void count(int leaves, ConfigOrigin at) {
    if (readingKey > 0) {
      return;
    }
    values += leaves;
    if (values > limits.maxValues()) {
      throw new LimitExceeded(
          Problem.at(
              at, "document expands to more than " + limits.maxValues() + " values (maxValues)"));
    }
  }

  /**
   * Adds the bytes of an expanded key or scalar, so that aliases to long strings stop at the alias
   * that tips the document over {@link ParseLimits#maxExpandedBytes()}. Keys count too: they are
   * written out with every copy of their mapping.
   */
  private void grow(long bytes, ConfigOrigin at) {
    expandedBytes += bytes;
    if (expandedBytes > limits.maxExpandedBytes()) {
      throw new LimitExceeded(
          Problem.at(
              at,
              "document expands to more than "
                  + limits.maxExpandedBytes()
                  + " bytes of keys and values (maxExpandedBytes)"));
    }
  }

  /** The UTF-8 length of {@code s} (a surrogate pair counts 4, each half 2). */
  static long utf8Length(String s) {
    long n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return n;
  }

  /** The tag is not quoted under a secret key: an unquoted value starting with ! is a tag. */
  private String unsupportedTag(String tag, String path) {
    String shown = tag.startsWith(CORE) ? "!!" + tag.substring(CORE.length()) : tag;
    return "found unsupported tag"
        + (redactor.isSecret(path) ? "" : " '" + shown + "'")
        + ": only the YAML core tags (!!str, !!int, !!float, "
        + "!!bool, !!null, !!map, !!seq) are allowed";
  }

  /** The position just after the last character, counted as SnakeYAML counts lines. */
  private ConfigOrigin endOfDocument() {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r' && !Character.isLowSurrogate(c)) {
        column++;
      }
    }
    return origin.at(line, column);
  }

  private ConfigOrigin at(Mark mark) {
    return mark == null ? origin : origin.at(mark.getLine() + 1, mark.getColumn() + 1);
  }

  /**
   * SnakeYAML's context and problem on one line, with where the context started when that is not
   * where the problem is (an unclosed quote or bracket), and without quoting document content.
   */
  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem();
    String context = e.getContext();
    Mark contextMark = e.getContextMark();
    Mark problemMark = e.getProblemMark();
    if (context != null
        && contextMark != null
        && problemMark != null
        && (contextMark.getLine() != problemMark.getLine()
            || contextMark.getColumn() != problemMark.getColumn())) {
      context =
          context + " at " + (contextMark.getLine() + 1) + ":" + (contextMark.getColumn() + 1);
    }
    if (problem == null) {
      return context == null ? "invalid YAML" : context;
    }
    problem = sanitize(problem).replace("\t", "\\t");
    return context == null ? problem : context + ": " + problem;
  }

  /** Drops the document characters some SnakeYAML messages quote (they may belong to a secret). */
  static String sanitize(String problem) {
    if (problem.startsWith("found unknown escape character")) {
      return "found unknown escape character";
    }
    int found = problem.indexOf(" hexadecimal numbers, but found");
    if (found >= 0) {
      return problem.substring(0, found) + " hexadecimal digits";
    }
    if (problem.startsWith("found character '") && !problem.contains("(TAB)")) {
      // SnakeYAML repeats the character in a tab hint that applies to tabs only
      int hint = problem.indexOf(" (Do not use ");
      return hint >= 0 ? problem.substring(0, hint) : problem;
    }
    Matcher m = FOUND_CHAR.matcher(problem);
    if (m.find()) {
      int c = Integer.parseInt(m.group(2));
      String head = problem.substring(0, m.start());
      boolean syntax = c > ' ' && c < 0x7F && !Character.isLetterOrDigit(c);
      return syntax ? head + ", but found '" + (char) c + "'" : head;
    }
    return problem;
  }

  /** Ends the parse at once with a positioned problem. */
  private static final class LimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Problem problem;

    LimitExceeded(Problem problem) {
      super(problem.message(), null, false, false);
      this.problem = problem;
    }
  }
}
