package dev.hotconf.source;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.internal.PathSyntax;
import dev.hotconf.internal.TreeAssembler;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builds trees for sources: from Java maps, and from flat string key/value pairs (environment,
 * Consul prefixes) whose values are typed as plain scalars. Thread-safe (stateless).
 */
public final class Trees {
  private static final int MAX_DEPTH_PROBLEMS = 10;
  private static final int MAX_KEY_IN_MESSAGE = 120;

  private Trees() {}

  /**
   * A tree from nested maps/lists of Strings, numbers and booleans; keys may be dotted paths.
   *
   * @throws ConfigException when keys collide or a value has an unsupported type
   */
  public static ConfigObject fromMap(Map<String, ?> values, ConfigOrigin origin) {
    List<Problem> problems = new ArrayList<>();
    TreeAssembler assembler = new TreeAssembler(origin, problems);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      put(assembler, e.getKey(), toNode(e.getValue(), origin, e.getKey()), origin, problems);
    }
    return finish(assembler, problems);
  }

  /**
   * A tree from flat string pairs (path -> text, with the origin of each), the text typed by the
   * YAML 1.2 core schema as in {@link Scalars#resolveText}: a number of more than 1,000 digits is a
   * problem at its origin; no other limit applies: for input that is not trusted, use {@link
   * #fromStrings(Map, Map, ConfigOrigin, ParseLimits)}.
   */
  public static ConfigObject fromStrings(
      Map<String, String> values, Map<String, ConfigOrigin> origins, ConfigOrigin rootOrigin) {
    List<Problem> problems = new ArrayList<>();
    TreeAssembler assembler = new TreeAssembler(rootOrigin, problems);
    for (Map.Entry<String, String> e : values.entrySet()) {
      ConfigOrigin at = origins.getOrDefault(e.getKey(), rootOrigin);
      ConfigScalar value;
      try {
        value = Scalars.resolveText(e.getValue(), at);
      } catch (ConfigParseException tooLong) {
        problems.addAll(tooLong.problems());
        continue;
      }
      put(assembler, e.getKey(), value, at, problems);
    }
    return finish(assembler, problems);
  }

  /**
   * {@link #fromStrings(Map, Map, ConfigOrigin)} for untrusted input (a Consul prefix, say), under
   * {@code limits} as a parsed document is, checked before any tree is built:
   *
   * <ul>
   *   <li>more pairs than {@link ParseLimits#maxValues()}: one problem, at {@code rootOrigin};
   *   <li>keys and texts together longer than {@link ParseLimits#maxDocumentBytes()} in UTF-8: one
   *       problem, at {@code rootOrigin};
   *   <li>a key with more segments than {@link ParseLimits#maxNestingDepth()} (each segment but the
   *       last opens an object or list, as in a {@code .properties} document): a problem at that
   *       key's origin, for at most the first 10 such keys (then one problem counting the rest).
   * </ul>
   *
   * Long keys are shortened in messages.
   *
   * @throws ConfigException listing the problems, when a limit is exceeded or keys collide
   */
  public static ConfigObject fromStrings(
      Map<String, String> values,
      Map<String, ConfigOrigin> origins,
      ConfigOrigin rootOrigin,
      ParseLimits limits) {
    if (values.size() > limits.maxValues()) {
      throw new ConfigParseException(
          rootOrigin,
          values.size() + " keys, over the limit of " + limits.maxValues() + " values (maxValues)");
    }
    long bytes = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      bytes += utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
    }
    if (bytes > limits.maxDocumentBytes()) {
      throw new ConfigParseException(
          rootOrigin,
          "keys and values are "
              + bytes
              + " bytes, over the limit of "
              + limits.maxDocumentBytes()
              + " bytes (maxDocumentBytes)");
    }
    List<Problem> problems = new ArrayList<>();
    int tooDeep = 0;
    for (String key : values.keySet()) {
      int depth;
      try {
        depth = PathSyntax.parse(key).length;
      } catch (IllegalArgumentException e) {
        continue; // reported with its origin when the tree is built
      }
      if (depth > limits.maxNestingDepth() && ++tooDeep <= MAX_DEPTH_PROBLEMS) {
        problems.add(
            Problem.at(
                shorten(key),
                origins.getOrDefault(key, rootOrigin),
                "is "
                    + depth
                    + " levels deep, over the limit of "
                    + limits.maxNestingDepth()
                    + " (maxNestingDepth)"));
      }
    }
    if (tooDeep > MAX_DEPTH_PROBLEMS) {
      problems.add(
          Problem.at(
              rootOrigin,
              (tooDeep - MAX_DEPTH_PROBLEMS)
                  + " more keys are over the limit of "
                  + limits.maxNestingDepth()
                  + " levels (maxNestingDepth)"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return fromStrings(values, origins, rootOrigin);
  }

  private static String shorten(String key) {
    return key.length() <= MAX_KEY_IN_MESSAGE
        ? key
        : key.substring(0, MAX_KEY_IN_MESSAGE) + "... (" + key.length() + " characters)";
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Merges {@code over} onto {@code base}: objects merge key by key, recursively; lists and scalars
   * in {@code over} replace what is below them. The same rule the pipeline uses between sources.
   */
  public static ConfigObject merge(ConfigObject base, ConfigObject over) {
    return dev.hotconf.internal.TreeOps.merge(base, over);
  }

  /**
   * The tree flattened to dotted keys ({@code db.pool.size}, {@code servers[0].host}), sorted; the
   * leaves are scalars (null included) and empty objects or lists. The same view as {@link
   * dev.hotconf.ConfigSnapshot#values()}.
   */
  public static java.util.NavigableMap<String, ConfigNode> flatten(ConfigObject root) {
    return java.util.Collections.unmodifiableNavigableMap(
        dev.hotconf.internal.TreeOps.flatten(root));
  }

  private static void put(
      TreeAssembler assembler,
      String key,
      ConfigNode node,
      ConfigOrigin at,
      List<Problem> problems) {
    try {
      assembler.root().put(PathSyntax.parse(key), node, at, key);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.at(at, e.getMessage()));
    }
  }

  private static ConfigObject finish(TreeAssembler assembler, List<Problem> problems) {
    ConfigObject root = assembler.root().build();
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return root;
  }

  private static ConfigNode toNode(Object value, ConfigOrigin origin, String key) {
    if (value instanceof ConfigNode n) {
      return n;
    }
    if (value instanceof Map<?, ?> map) {
      List<Problem> problems = new ArrayList<>();
      TreeAssembler assembler = new TreeAssembler(origin, problems);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = String.valueOf(e.getKey());
        put(assembler, k, toNode(e.getValue(), origin, key + "." + k), origin, problems);
      }
      return finish(assembler, problems);
    }
    if (value instanceof Collection<?> c) {
      List<ConfigNode> out = new ArrayList<>();
      for (Object o : c) {
        out.add(toNode(o, origin, key + "[" + out.size() + "]"));
      }
      return ConfigList.of(out, origin);
    }
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof BigInteger) {
      return ConfigScalar.of(value, origin);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ConfigScalar.of(((Number) value).longValue(), origin);
    }
    if (value instanceof Float f) {
      return ConfigScalar.of(f.doubleValue(), origin);
    }
    if (value instanceof Enum<?>
        || value instanceof java.time.Duration
        || value instanceof java.net.URI) {
      return ConfigScalar.of(value.toString(), origin);
    }
    throw new ConfigParseException(
        origin, key + ": unsupported value type " + value.getClass().getName());
  }
}
