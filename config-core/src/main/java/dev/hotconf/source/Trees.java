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
   * YAML 1.2 core schema as in {@link Scalars#resolveText}.
   */
  public static ConfigObject fromStrings(
      Map<String, String> values, Map<String, ConfigOrigin> origins, ConfigOrigin rootOrigin) {
    List<Problem> problems = new ArrayList<>();
    TreeAssembler assembler = new TreeAssembler(rootOrigin, problems);
    for (Map.Entry<String, String> e : values.entrySet()) {
      ConfigOrigin at = origins.getOrDefault(e.getKey(), rootOrigin);
      put(assembler, e.getKey(), Scalars.resolveText(e.getValue(), at), at, problems);
    }
    return finish(assembler, problems);
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
