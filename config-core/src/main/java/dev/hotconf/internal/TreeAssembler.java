package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an immutable tree from path inserts, the one place where dotted keys become nested
 * objects. Inserting a path that is already set is a "duplicate key" problem; a path that runs
 * through a scalar is a "conflicts" problem. Two objects at the same path merge. Problems are
 * collected, not thrown, so a parser can report them all.
 *
 * <p>Not thread-safe; one assembler per document.
 */
public final class TreeAssembler {
  private final MutableObject root;
  private final List<Problem> problems;

  /** The origin of each key of the objects built here, so that a later merge can point at keys. */
  private final Map<ConfigObject, Map<String, ConfigOrigin>> keyOrigins = new IdentityHashMap<>();

  public TreeAssembler(ConfigOrigin rootOrigin, List<Problem> problems) {
    this.root = new MutableObject(rootOrigin);
    this.problems = problems;
  }

  /** A fresh object node that a parser fills key by key (one per mapping). */
  public MutableObject newObject(ConfigOrigin origin) {
    return new MutableObject(origin);
  }

  public MutableObject root() {
    return root;
  }

  /** Splits a document key on dots; reports and returns null when it is not a valid key. */
  public Object[] keyPath(String key, ConfigOrigin keyOrigin) {
    if (key.isEmpty()) {
      problems.add(Problem.at(keyOrigin, "empty key"));
      return null;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '[' || c == ']') {
        problems.add(
            Problem.at(
                keyOrigin,
                "key '"
                    + key
                    + "' contains '"
                    + c
                    + "', which is reserved for list indexes in paths"));
        return null;
      }
    }
    String[] parts = key.split("\\.", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        problems.add(Problem.at(keyOrigin, "key '" + key + "' has an empty segment"));
        return null;
      }
    }
    return parts;
  }

  /** An object under construction. */
  public final class MutableObject {
    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();
    private final Map<String, ConfigOrigin> entryKeyOrigins = new LinkedHashMap<>();
    private final ConfigOrigin origin;

    MutableObject(ConfigOrigin origin) {
      this.origin = origin;
    }

    /**
     * Puts {@code value} at {@code path} (segments from {@link #keyPath} or {@link PathSyntax}).
     */
    public void put(Object[] path, ConfigNode value, ConfigOrigin keyOrigin, String displayKey) {
      if (path[0] instanceof Integer) {
        problems.add(Problem.at(keyOrigin, "key '" + displayKey + "' starts with a list index"));
        return;
      }
      insert(this, path, 0, value, keyOrigin, displayKey);
    }

    /** Puts a single (already split) key. */
    public void putKey(String key, ConfigNode value, ConfigOrigin keyOrigin) {
      insert(this, new Object[] {key}, 0, value, keyOrigin, key);
    }

    public boolean containsKey(String key) {
      return entries.containsKey(key);
    }

    public ConfigObject build() {
      Map<String, ConfigNode> out = new LinkedHashMap<>();
      entries.forEach((k, v) -> out.put(k, materialize(v)));
      ConfigObject built = ConfigObject.of(out, origin);
      keyOrigins.put(built, Map.copyOf(entryKeyOrigins));
      return built;
    }
  }

  private final class MutableList {
    private final TreeMap<Integer, Object> elements = new TreeMap<>();
    private final ConfigOrigin origin;
    private final String displayKey;

    MutableList(ConfigOrigin origin, String displayKey) {
      this.origin = origin;
      this.displayKey = displayKey;
    }

    ConfigList build() {
      List<ConfigNode> out = new ArrayList<>(elements.size());
      int expected = 0;
      for (Map.Entry<Integer, Object> e : elements.entrySet()) {
        if (e.getKey() != expected) {
          problems.add(
              Problem.at(
                  displayKey,
                  origin,
                  "list has no element ["
                      + expected
                      + "] (indexes must run 0, 1, 2, ... without gaps)"));
          break;
        }
        out.add(materialize(e.getValue()));
        expected++;
      }
      return ConfigList.of(out, origin);
    }
  }

  private ConfigNode materialize(Object o) {
    if (o instanceof MutableObject m) {
      return m.build();
    }
    if (o instanceof MutableList l) {
      return l.build();
    }
    return (ConfigNode) o;
  }

  private void insert(
      Object container,
      Object[] path,
      int i,
      ConfigNode value,
      ConfigOrigin keyOrigin,
      String displayKey) {
    Object segment = path[i];
    Object child = get(container, segment);
    if (i == path.length - 1) {
      if (child == null) {
        set(container, segment, value, keyOrigin);
      } else if (value instanceof ConfigObject obj && isObject(child)) {
        MutableObject target = asMutableObject(container, segment, child);
        obj.entries()
            .forEach(
                (k, v) ->
                    insert(
                        target, new Object[] {k}, 0, v, keyOrigin(obj, k), displayKey + "." + k));
      } else {
        problems.add(Problem.at(keyOrigin, "found duplicate key '" + displayKey + "'"));
      }
      return;
    }
    Object next = path[i + 1];
    Object target;
    if (child == null) {
      target =
          next instanceof Integer
              ? new MutableList(keyOrigin, render(path, i + 1))
              : new MutableObject(keyOrigin);
      set(container, segment, target, keyOrigin);
    } else if (next instanceof String && isObject(child)) {
      target = asMutableObject(container, segment, child);
    } else if (next instanceof Integer
        && (child instanceof MutableList || child instanceof ConfigList)) {
      target = asMutableList(container, segment, child, render(path, i + 1));
    } else {
      problems.add(
          Problem.at(
              keyOrigin,
              "key '"
                  + displayKey
                  + "' conflicts with a value already set at '"
                  + render(path, i + 1)
                  + "'"));
      return;
    }
    insert(target, path, i + 1, value, keyOrigin, displayKey);
  }

  private static boolean isObject(Object o) {
    return o instanceof MutableObject || o instanceof ConfigObject;
  }

  private MutableObject asMutableObject(Object container, Object segment, Object child) {
    if (child instanceof MutableObject m) {
      return m;
    }
    ConfigObject obj = (ConfigObject) child;
    MutableObject m = new MutableObject(obj.origin());
    m.entries.putAll(obj.entries());
    obj.entries().keySet().forEach(k -> m.entryKeyOrigins.put(k, keyOrigin(obj, k)));
    set(container, segment, m);
    return m;
  }

  private MutableList asMutableList(Object container, Object segment, Object child, String key) {
    if (child instanceof MutableList l) {
      return l;
    }
    ConfigList list = (ConfigList) child;
    MutableList l = new MutableList(list.origin(), key);
    for (int i = 0; i < list.size(); i++) {
      l.elements.put(i, list.get(i));
    }
    set(container, segment, l);
    return l;
  }

  /**
   * Where key {@code k} of {@code obj} was written: its key's origin if built here, else its
   * value's.
   */
  private ConfigOrigin keyOrigin(ConfigObject obj, String k) {
    Map<String, ConfigOrigin> origins = keyOrigins.get(obj);
    ConfigOrigin at = origins == null ? null : origins.get(k);
    return at != null ? at : obj.get(k).origin();
  }

  private static Object get(Object container, Object segment) {
    if (container instanceof MutableObject m) {
      return m.entries.get((String) segment);
    }
    return ((MutableList) container).elements.get((Integer) segment);
  }

  private static void set(Object container, Object segment, Object value) {
    if (container instanceof MutableObject m) {
      m.entries.put((String) segment, value);
    } else {
      ((MutableList) container).elements.put((Integer) segment, value);
    }
  }

  private static void set(Object container, Object segment, Object value, ConfigOrigin keyOrigin) {
    set(container, segment, value);
    if (container instanceof MutableObject m) {
      m.entryKeyOrigins.put((String) segment, keyOrigin);
    }
  }

  private static String render(Object[] path, int upTo) {
    String s = "";
    for (int i = 0; i < upTo; i++) {
      s = PathSyntax.child(s, path[i]);
    }
    return s;
  }
}
