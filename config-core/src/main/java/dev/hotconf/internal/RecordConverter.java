package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.DataSize;
import dev.hotconf.Redactor;
import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Inline;
import dev.hotconf.bind.Max;
import dev.hotconf.bind.Min;
import dev.hotconf.bind.Name;
import dev.hotconf.bind.Positive;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/*
 * Design: binds an object to a record. Each component is looked up under its Java name, its kebab
 * form and its snake form (poolMax, pool-max, pool_max); then, in order: the written value
 * converted and checked against the component's constraints (@Positive, @Min, @Max), the
 * @DefaultValue converted by the same converter, Optional.empty(), or a "missing" problem. An
 * @Inline component is bound from the same object. Every component is bound even after a problem,
 * so one run reports them all; the record is constructed only when none of its components failed,
 * and a Checked record then checks itself. With the run's rejectUnknownKeys, every key of the
 * object that names no component (nor one of an @Inline record's) is a problem at its value, and a
 * component given under two spellings is one too.
 *
 * Defaults and constraint bounds are converted when the converter is built, so a wrong one fails
 * there (IllegalArgumentException naming the component), never while binding a configuration.
 */

/** Binds objects to one record type. Immutable and thread-safe. */
public final class RecordConverter implements Converters.Converter<Object> {
  private static final ConfigOrigin DEFAULTS = ConfigOrigin.of("default", "@DefaultValue");

  private final Class<?> type;
  private final Component[] components;
  private final Constructor<?> constructor;

  /** Every spelling of every component, inline records' included. */
  private final Set<String> known = new java.util.HashSet<>();

  /** The kebab names, sorted, for "expected one of". */
  private final String expected;

  RecordConverter(Class<?> type) {
    this.type = type;
    RecordComponent[] rcs = type.getRecordComponents();
    components = new Component[rcs.length];
    Class<?>[] types = new Class<?>[rcs.length];
    Set<String> kebabNames = new TreeSet<>();
    for (int i = 0; i < rcs.length; i++) {
      types[i] = rcs[i].getType();
      components[i] = new Component(type, rcs[i]);
      if (components[i].inline != null) {
        for (String name : components[i].inline.known) {
          if (!known.add(name)) {
            throw new IllegalArgumentException(
                "cannot bind "
                    + type.getName()
                    + ": @Inline "
                    + rcs[i].getName()
                    + " has a key '"
                    + name
                    + "' that another component has too");
          }
        }
        kebabNames.addAll(components[i].inline.kebabNames());
      } else {
        for (String name : components[i].names) {
          if (!known.add(name)) {
            throw new IllegalArgumentException(
                "cannot bind " + type.getName() + ": two components answer to key '" + name + "'");
          }
        }
        kebabNames.add(components[i].kebab);
      }
    }
    expected = String.join(", ", kebabNames);
    try {
      constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot bind record " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  private Set<String> kebabNames() {
    Set<String> out = new TreeSet<>();
    for (Component c : components) {
      if (c.inline != null) {
        out.addAll(c.inline.kebabNames());
      } else {
        out.add(c.kebab);
      }
    }
    return out;
  }

  @Override
  public Object convert(ConfigNode node, String key, BindContext ctx) {
    if (!(node instanceof ConfigObject obj)) {
      ctx.expected(key, node, "an object for " + type.getSimpleName());
      return Converters.FAILED;
    }
    Object value = bindComponents(obj, key, ctx);
    if (ctx.rejectUnknownKeys()) {
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        if (!known.contains(e.getKey())) {
          ctx.problem(
              PathSyntax.child(key, e.getKey()),
              e.getValue().origin(),
              "unknown key (expected one of " + expected + ")");
        }
      }
    }
    return value;
  }

  private Object bindComponents(ConfigObject obj, String key, BindContext ctx) {
    int before = ctx.problemCount();
    Object[] args = new Object[components.length];
    Map<String, String> usedNames = new HashMap<>();
    for (int i = 0; i < components.length; i++) {
      Component c = components[i];
      if (c.inline != null) {
        args[i] = c.inline.bindComponents(obj, key, ctx);
        continue;
      }
      String used = null;
      ConfigNode child = null;
      for (String name : c.names) {
        ConfigNode n = obj.get(name);
        if (n == null || n instanceof ConfigScalar s && s.isNull()) {
          continue;
        }
        if (child == null) {
          child = n;
          used = name;
        } else if (ctx.rejectUnknownKeys()) {
          ctx.problem(
              PathSyntax.child(key, name),
              n.origin(),
              "given twice, as " + used + " and as " + name);
        }
      }
      String childKey = PathSyntax.child(key, used != null ? used : c.kebab);
      if (child != null) {
        usedNames.put(c.name, used);
        Object v = c.converter.convert(child, childKey, ctx);
        if (v != Converters.FAILED && c.constraint != null) {
          String broken = c.constraint.check(unwrapOptional(v));
          if (broken != null) {
            ctx.violated(childKey, child, broken);
            v = Converters.FAILED;
          }
        }
        args[i] = v;
      } else if (c.defaultText != null) {
        args[i] = c.converter.convert(c.defaultNode(obj.origin()), childKey, ctx);
      } else if (c.optional) {
        args[i] = Optional.empty();
      } else {
        ctx.problem(
            childKey, obj.origin(), "missing: required by " + type.getSimpleName() + "." + c.name);
        args[i] = Converters.FAILED;
      }
    }
    if (ctx.problemCount() > before) {
      return Converters.FAILED;
    }
    Object instance;
    try {
      instance = constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      ctx.problem(
          key,
          obj.origin(),
          type.getSimpleName()
              + " rejected the values: "
              + (cause == null
                  ? e
                  : cause.getClass().getSimpleName()
                      + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
      return Converters.FAILED;
    } catch (ReflectiveOperationException e) {
      ctx.problem(key, obj.origin(), "cannot create " + type.getSimpleName() + ": " + e);
      return Converters.FAILED;
    }
    if (instance instanceof Checked checked) {
      checked.check(new ChecksImpl(obj, key, usedNames, ctx));
      if (ctx.problemCount() > before) {
        return Converters.FAILED;
      }
    }
    return instance;
  }

  private static Object unwrapOptional(Object v) {
    return v instanceof Optional<?> o ? o.orElse(null) : v;
  }

  /**
   * The node of {@code component} (a Java name) in {@code obj}, under its first non-null spelling,
   * or null. For {@code dev.hotconf.bind.Bound}.
   *
   * @throws IllegalArgumentException when the record has no such component
   */
  public ConfigNode nodeOf(ConfigObject obj, String component) {
    for (String name : component(component).names) {
      ConfigNode n = obj.get(name);
      if (n != null && !(n instanceof ConfigScalar s && s.isNull())) {
        return n;
      }
    }
    return null;
  }

  /**
   * The key of {@code component} under {@code key}: as written in {@code obj}, else its kebab form.
   *
   * @throws IllegalArgumentException when the record has no such component
   */
  public String keyOf(ConfigObject obj, String key, String component) {
    Component c = component(component);
    for (String name : c.names) {
      ConfigNode n = obj == null ? null : obj.get(name);
      if (n != null && !(n instanceof ConfigScalar s && s.isNull())) {
        return PathSyntax.child(key, name);
      }
    }
    return PathSyntax.child(key, c.kebab);
  }

  /** A component by Java name, looking into inlined records too. */
  private Component component(String name) {
    Component c = find(name);
    if (c == null) {
      throw new IllegalArgumentException(type.getSimpleName() + " has no component " + name);
    }
    return c;
  }

  private Component find(String name) {
    for (Component c : components) {
      if (c.inline != null) {
        Component inner = c.inline.find(name);
        if (inner != null) {
          return inner;
        }
      } else if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** {@code poolMax} -> poolMax, pool-max, pool_max. */
  public static String[] candidateNames(String name) {
    StringBuilder kebab = new StringBuilder();
    for (char ch : name.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        kebab.append('-').append(Character.toLowerCase(ch));
      } else {
        kebab.append(ch);
      }
    }
    return new String[] {name, kebab.toString(), kebab.toString().replace('-', '_')};
  }

  // ---- components ----

  private static final class Component {
    final String name;
    final String kebab;
    final String[] names;
    final Converters.Converter<?> converter;
    final boolean optional;
    final RecordConverter inline;
    final String defaultText;
    final boolean defaultIsObject;
    final boolean defaultIsList;
    final Constraint constraint;

    Component(Class<?> owner, RecordComponent rc) {
      name = rc.getName();
      Name fixed = rc.getAnnotation(Name.class);
      if (fixed != null) {
        kebab = fixed.value();
        names = new String[] {fixed.value()};
      } else {
        String[] candidates = candidateNames(name);
        kebab = candidates[1];
        names = new LinkedHashSet<>(List.of(candidates)).toArray(new String[0]);
      }
      Type generic = rc.getGenericType();
      optional = rc.getType() == Optional.class;
      Type valueType =
          optional && generic instanceof ParameterizedType p
              ? p.getActualTypeArguments()[0]
              : generic;
      String where = owner.getName() + "." + name;
      if (rc.isAnnotationPresent(Inline.class)) {
        if (!rc.getType().isRecord()) {
          throw new IllegalArgumentException(
              "cannot bind " + where + ": @Inline needs a record type");
        }
        if (rc.isAnnotationPresent(DefaultValue.class)) {
          throw new IllegalArgumentException(
              "cannot bind " + where + ": @Inline takes no @DefaultValue");
        }
        if (!(Converters.forType(rc.getType()) instanceof RecordConverter r)) {
          throw new IllegalArgumentException(
              "cannot bind " + where + ": a record cannot @Inline itself");
        }
        inline = r;
        converter = r;
        defaultText = null;
        defaultIsObject = false;
        defaultIsList = false;
        constraint = null;
        return;
      }
      inline = null;
      converter = Converters.forType(generic);
      constraint = Constraint.of(rc, valueType, where);
      DefaultValue d = rc.getAnnotation(DefaultValue.class);
      defaultText = d == null ? null : d.value();
      defaultIsObject = d != null && Converters.bindsFromObject(valueType);
      defaultIsList = d != null && Converters.bindsFromList(valueType) && d.value().isEmpty();
      if (defaultIsObject && !d.value().isEmpty()) {
        throw new IllegalArgumentException(
            "cannot bind "
                + where
                + ": @DefaultValue on an object type takes no text (it binds an empty object)");
      }
      if (d != null) {
        BindContext check = new BindContext(Redactor.defaults(), false);
        Object v = converter.convert(defaultNode(DEFAULTS), name, check);
        String broken =
            v == Converters.FAILED || constraint == null
                ? null
                : constraint.check(unwrapOptional(v));
        if (v == Converters.FAILED || broken != null) {
          throw new IllegalArgumentException(
              "cannot bind "
                  + where
                  + ": bad @DefaultValue(\""
                  + d.value()
                  + "\"): "
                  + (broken != null ? broken : check.problems().get(0).message()));
        }
      }
    }

    /** The default as a node, at {@code at} (so relative paths resolve like written ones). */
    ConfigNode defaultNode(ConfigOrigin at) {
      if (defaultIsObject) {
        return ConfigObject.empty(at);
      }
      if (defaultIsList) {
        return ConfigList.of(List.of(), at);
      }
      return ConfigScalar.of(defaultText, defaultText, at);
    }
  }

  /** A rule a converted value must follow; {@code check} returns the broken rule, or null. */
  private interface Constraint {
    String check(Object value);

    static Constraint of(RecordComponent rc, Type valueType, String where) {
      List<Constraint> rules = new ArrayList<>();
      if (rc.isAnnotationPresent(Positive.class)) {
        rules.add(positive(valueType, where));
      }
      Min min = rc.getAnnotation(Min.class);
      if (min != null) {
        Comparable<Object> bound = bound(valueType, min.value(), where, "@Min");
        String rule = "must be at least " + min.value().trim();
        rules.add(v -> v != null && bound.compareTo(v) > 0 ? rule : null);
      }
      Max max = rc.getAnnotation(Max.class);
      if (max != null) {
        Comparable<Object> bound = bound(valueType, max.value(), where, "@Max");
        String rule = "must be at most " + max.value().trim();
        rules.add(v -> v != null && bound.compareTo(v) < 0 ? rule : null);
      }
      if (rules.isEmpty()) {
        return null;
      }
      return v -> {
        for (Constraint r : rules) {
          String broken = r.check(v);
          if (broken != null) {
            return broken;
          }
        }
        return null;
      };
    }

    private static Constraint positive(Type valueType, String where) {
      Class<?> raw = Converters.raw(valueType);
      String rule = "must be positive";
      if (raw == Duration.class) {
        return v -> v instanceof Duration d && (d.isNegative() || d.isZero()) ? rule : null;
      }
      if (raw == DataSize.class) {
        return v -> v instanceof DataSize s && s.bytes() <= 0 ? rule : null;
      }
      if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
        return v -> v instanceof Number n && n.longValue() <= 0 ? rule : null;
      }
      if (raw == double.class || raw == Double.class) {
        return v -> v instanceof Double n && !(n > 0) ? rule : null;
      }
      if (raw == BigInteger.class) {
        return v -> v instanceof BigInteger n && n.signum() <= 0 ? rule : null;
      }
      throw new IllegalArgumentException(
          "cannot bind " + where + ": @Positive applies to numbers, Duration and DataSize");
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> bound(
        Type valueType, String text, String where, String annotation) {
      Class<?> raw = Converters.raw(valueType);
      if (!Comparable.class.isAssignableFrom(raw) && !raw.isPrimitive()) {
        throw new IllegalArgumentException(
            "cannot bind " + where + ": " + annotation + " needs a Comparable type");
      }
      BindContext check = new BindContext(Redactor.defaults(), false);
      Object v =
          Converters.forType(valueType)
              .convert(ConfigScalar.of(text, text, DEFAULTS), annotation, check);
      if (v == Converters.FAILED || v == null) {
        throw new IllegalArgumentException(
            "cannot bind "
                + where
                + ": bad "
                + annotation
                + "(\""
                + text
                + "\"): "
                + check.problems().get(0).message());
      }
      return (Comparable<Object>) v;
    }
  }

  // ---- Checks ----

  private final class ChecksImpl implements Checks {
    private final ConfigObject obj;
    private final String key;
    private final Map<String, String> usedNames;
    private final BindContext ctx;

    ChecksImpl(ConfigObject obj, String key, Map<String, String> usedNames, BindContext ctx) {
      this.obj = obj;
      this.key = key;
      this.usedNames = usedNames;
      this.ctx = ctx;
    }

    @Override
    public void problem(String component, String message) {
      Component c = component(component);
      String used = usedNames.get(c.name);
      if (used == null) {
        ctx.problem(PathSyntax.child(key, c.kebab), obj.origin(), message);
      } else {
        ctx.problem(PathSyntax.child(key, used), obj.get(used).origin(), message);
      }
    }

    @Override
    public void problem(String message) {
      ctx.problem(key, obj.origin(), message);
    }

    @Override
    public boolean isSet(String component) {
      return usedNames.containsKey(component(component).name);
    }

    private Component component(String name) {
      for (Component c : components) {
        if (c.inline == null && c.name.equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException(type.getSimpleName() + " has no component " + name);
    }
  }
}
