package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   <li>Duplicate keys, nesting depth, alias count and expanded size are checked here, each with
 *       the line:column of the offending node.
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

  private final ConfigOrigin origin;
  private final ParseLimits limits;
  private final Parser parser;
  private final List<Problem> problems = new ArrayList<>();
  private final TreeAssembler assembler;
  private final Map<String, ConfigNode> anchors = new HashMap<>();
  private final Set<String> openAnchors = new HashSet<>();
  private int depth;
  private int aliases;

  private YamlDocumentParser(String text, ConfigOrigin origin, ParseLimits limits) {
    this.origin = origin;
    this.limits = limits;
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxNestingDepth() + 1);
    options.setCodePointLimit(Math.max(limits.maxDocumentBytes(), 1) + 1);
    options.setProcessComments(false);
    this.parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    this.assembler = new TreeAssembler(origin.at(1, 1), problems);
  }

  public static ConfigObject parse(byte[] content, ConfigOrigin origin, ParseLimits limits) {
    String text = DocumentText.decode(content, origin, limits);
    return new YamlDocumentParser(text, origin, limits).run();
  }

  private ConfigObject run() {
    ConfigObject result;
    try {
      result = readStream();
    } catch (MarkedYAMLException e) {
      problems.add(Problem.at(at(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark()),
          describe(e)));
      throw new ConfigParseException(problems);
    } catch (YAMLException e) {
      problems.add(Problem.at(origin, String.valueOf(e.getMessage())));
      throw new ConfigParseException(problems);
    } catch (LimitExceeded e) {
      problems.add(e.problem);
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
      problems.add(Problem.at(at(second.getStartMark()),
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
    problems.add(Problem.at(root.origin(),
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
      return resolveAlias(alias);
    }
    NodeEvent nodeEvent = (NodeEvent) event;
    String anchor = nodeEvent.getAnchor();
    if (anchor != null) {
      openAnchors.add(anchor);
    }
    ConfigNode node;
    if (event instanceof ScalarEvent scalar) {
      node = scalar(scalar);
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
    }
    return node;
  }

  private ConfigNode resolveAlias(AliasEvent alias) {
    String name = alias.getAnchor();
    ConfigNode target = anchors.get(name);
    if (target == null) {
      String why = openAnchors.contains(name)
          ? "found a recursive alias '*" + name + "' (an alias inside its own anchor)"
          : "found undefined alias '*" + name + "'";
      throw new LimitExceeded(Problem.at(at(alias.getStartMark()), why));
    }
    if (!(target instanceof ConfigScalar) && ++aliases > limits.maxAliases()) {
      throw new LimitExceeded(Problem.at(at(alias.getStartMark()),
          "more than " + limits.maxAliases() + " aliases to collections (maxAliases)"));
    }
    return target;
  }

  private ConfigNode scalar(ScalarEvent e) {
    ConfigOrigin at = at(e.getStartMark());
    String tag = e.getTag();
    String text = e.getValue();
    if (tag == null || tag.equals("!")) {
      return e.isPlain() && tag == null ? Scalars.resolvePlain(text, at) : ConfigScalar.of(text, text, at);
    }
    if (!SCALAR_TAGS.contains(tag)) {
      problems.add(Problem.at(at, unsupportedTag(tag)));
      return ConfigScalar.of(text, text, at);
    }
    return explicitlyTagged(tag.substring(CORE.length()), text, at);
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
    checkCollectionTag(e, CORE + "map", at);
    enter(at);
    TreeAssembler.MutableObject object = assembler.newObject(at);
    List<ConfigNode> mergeSources = new ArrayList<>();
    while (!parser.checkEvent(Event.ID.MappingEnd)) {
      Event keyEvent = parser.peekEvent();
      ConfigOrigin keyAt = at(keyEvent.getStartMark());
      String key = keyText(readNode(path), keyAt);
      ConfigNode value = readNode(key == null ? path : PathSyntax.child(path, key));
      if (key == null) {
        continue;
      }
      if (key.equals("<<") && keyEvent instanceof ScalarEvent s && s.isPlain() && s.getTag() == null) {
        collectMergeSources(value, keyAt, mergeSources);
        continue;
      }
      Object[] keyPath = assembler.keyPath(key, keyAt);
      if (keyPath != null) {
        object.put(keyPath, value, keyAt, PathSyntax.child(path, key));
      }
    }
    parser.getEvent();
    for (ConfigNode source : mergeSources) {
      ((ConfigObject) source).entries().forEach((k, v) -> {
        if (!object.containsKey(k)) {
          object.putKey(k, v, v.origin());
        }
      });
    }
    depth--;
    return checkSize(object.build(), at);
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
    problems.add(Problem.at(keyAt,
        "found a complex key (a mapping or list used as a key): keys must be strings"));
    return null;
  }

  private void collectMergeSources(ConfigNode value, ConfigOrigin keyAt, List<ConfigNode> out) {
    if (value instanceof ConfigObject) {
      out.add(value);
    } else if (value instanceof ConfigList list && list.elements().stream().allMatch(ConfigObject.class::isInstance)) {
      out.addAll(list.elements());
    } else {
      problems.add(Problem.at(keyAt, "a '<<' merge key needs a mapping or a list of mappings"));
    }
  }

  private ConfigNode sequence(SequenceStartEvent e, String path) {
    ConfigOrigin at = at(e.getStartMark());
    checkCollectionTag(e, CORE + "seq", at);
    enter(at);
    List<ConfigNode> elements = new ArrayList<>();
    while (!parser.checkEvent(Event.ID.SequenceEnd)) {
      elements.add(readNode(PathSyntax.child(path, elements.size())));
    }
    parser.getEvent();
    depth--;
    return checkSize(ConfigList.of(elements, at), at);
  }

  private void checkCollectionTag(CollectionStartEvent e, String expected, ConfigOrigin at) {
    String tag = e.getTag();
    if (tag != null && !tag.equals("!") && !tag.equals(expected)) {
      problems.add(Problem.at(at, unsupportedTag(tag)));
    }
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
          "document expands to more than " + limits.maxValues() + " values (maxValues)"));
    }
    return node;
  }

  private static String unsupportedTag(String tag) {
    String shown = tag.startsWith(CORE) ? "!!" + tag.substring(CORE.length()) : tag;
    return "found unsupported tag '" + shown + "': only the YAML core tags (!!str, !!int, !!float, "
        + "!!bool, !!null, !!map, !!seq) are allowed";
  }

  private ConfigOrigin at(Mark mark) {
    return mark == null ? origin : origin.at(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem();
    String context = e.getContext();
    if (problem == null) {
      return context == null ? "invalid YAML" : context;
    }
    problem = problem.replace("\t", "\\t");
    return context == null ? problem : context + ": " + problem;
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
