package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.DataSize;
import dev.hotconf.bind.Durations;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/*
 * Design: the one conversion engine behind every typed read of configuration: the accessors of
 * HotConfig, ConfigSnapshot.get, HotConfig.recordSetting and the public dev.hotconf.bind.Binder (settings of
 * the sidecar, of source modules, of framework adapters). A converter is built once per Java type
 * and cached; it is stateless and thread-safe. Converting never throws for bad input: a converter
 * that meets a problem adds it to the run's BindContext (key, origin of the offending value, a
 * redacted message) and returns FAILED, and its caller carries on with the next element or
 * component, so one run finds every problem of a tree. Records are bound by RecordConverter.
 */

/**
 * Converts tree nodes to Java types: String, int/long/double/boolean (and boxes), BigInteger,
 * Duration ({@link Durations}), DataSize, URI, Path, Pattern, enums, {@code List<T>}, {@code
 * Map<String, T>}, {@code Optional<T>}, records (see {@link RecordConverter}), and {@link
 * ConfigNode} types themselves.
 */
public final class Converters {
  /** Returned by a converter that reported a problem. */
  public static final Object FAILED = new Object();

  private static final Map<Type, Converter<?>> CACHE = new ConcurrentHashMap<>();
  private static final ThreadLocal<Set<Type>> BUILDING = ThreadLocal.withInitial(HashSet::new);

  /**
   * Converts one node, the value at {@code key}. Returns the value (null only for {@code Object}
   * and a null scalar), or reports to the context and returns {@link #FAILED}.
   */
  @FunctionalInterface
  public interface Converter<T> {
    Object convert(ConfigNode node, String key, BindContext ctx);
  }

  private Converters() {}

  @SuppressWarnings("unchecked")
  public static <T> Converter<T> forClass(Class<T> type) {
    return (Converter<T>) forType(type);
  }

  /**
   * The converter for a type, built on first use.
   *
   * @throws IllegalArgumentException for a type that cannot be bound (with the reason), or a record
   *     whose defaults or constraints are wrong
   */
  public static Converter<?> forType(Type type) {
    Converter<?> cached = CACHE.get(type);
    if (cached != null) {
      return cached;
    }
    Set<Type> building = BUILDING.get();
    if (!building.add(type)) {
      // a record that contains itself (through a list, map or optional): resolved at use
      return (node, key, ctx) -> {
        Converter<?> c = CACHE.get(type);
        if (c == null) {
          throw new IllegalArgumentException(
              "cannot bind " + type.getTypeName() + ": a default refers to the type itself");
        }
        return c.convert(node, key, ctx);
      };
    }
    try {
      Converter<?> created = create(type);
      Converter<?> raced = CACHE.putIfAbsent(type, created);
      return raced != null ? raced : created;
    } finally {
      building.remove(type);
    }
  }

  /** Whether {@code type} binds from an object (records, maps, {@link ConfigObject}). */
  static boolean bindsFromObject(Type type) {
    Class<?> raw = raw(type);
    return raw == Map.class
        || raw == ConfigObject.class
        || forType(type) instanceof RecordConverter;
  }

  /** Whether {@code type} binds from a list. */
  static boolean bindsFromList(Type type) {
    Class<?> raw = raw(type);
    return raw == List.class || raw == ConfigList.class;
  }

  static Class<?> raw(Type type) {
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof Class<?> c) {
      return c;
    }
    throw new IllegalArgumentException("unsupported setting type " + type.getTypeName());
  }

  private static Converter<?> create(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return listOf(forType(args[0]));
      }
      if (raw == Map.class && args[0] == String.class) {
        return mapOf(forType(args[1]));
      }
      if (raw == Optional.class) {
        Converter<?> inner = forType(args[0]);
        return (node, key, ctx) -> {
          Object v = inner.convert(node, key, ctx);
          return v == FAILED ? FAILED : Optional.ofNullable(v);
        };
      }
      throw new IllegalArgumentException("unsupported setting type " + type.getTypeName());
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalArgumentException("unsupported setting type " + type.getTypeName());
    }
    if (c == Map.class) {
      return mapOf(forType(Object.class));
    }
    if (c == List.class) {
      return listOf(forType(Object.class));
    }
    if (c == String.class) {
      return Converters::string;
    }
    if (c == Integer.class || c == int.class) {
      return integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "an int", true);
    }
    if (c == Long.class || c == long.class) {
      return integer(Long.MIN_VALUE, Long.MAX_VALUE, "a long", false);
    }
    if (c == Double.class || c == double.class) {
      return Converters::toDouble;
    }
    if (c == Boolean.class || c == boolean.class) {
      return Converters::toBoolean;
    }
    if (c == BigInteger.class) {
      return Converters::bigInteger;
    }
    if (c == Duration.class) {
      return Converters::duration;
    }
    if (c == DataSize.class) {
      return Converters::dataSize;
    }
    if (c == URI.class) {
      return Converters::uri;
    }
    if (c == Path.class) {
      return Converters::path;
    }
    if (c == Pattern.class) {
      return Converters::pattern;
    }
    if (c.isEnum()) {
      return enumOf(c);
    }
    if (c.isRecord()) {
      return new RecordConverter(c);
    }
    if (ConfigNode.class.isAssignableFrom(c)) {
      String expectation =
          c == ConfigObject.class
              ? "an object"
              : c == ConfigList.class ? "a list" : c == ConfigScalar.class ? "a scalar" : "a value";
      return (node, key, ctx) -> {
        if (!c.isInstance(node)) {
          ctx.expected(key, node, expectation);
          return FAILED;
        }
        return node;
      };
    }
    if (c == Object.class) {
      return (node, key, ctx) -> node.unwrapped();
    }
    throw new IllegalArgumentException(
        "unsupported setting type "
            + c.getName()
            + ": use String, a number, boolean, Duration, DataSize, URI, Path, Pattern, an enum, a"
            + " record, List, Map or Optional");
  }

  /** The scalar's value, or null after reporting when the node is not a non-null scalar. */
  private static Object scalarValue(
      ConfigNode node, String key, BindContext ctx, String expectation) {
    if (node instanceof ConfigScalar s && !s.isNull()) {
      return s.value();
    }
    ctx.expected(key, node, expectation);
    return null;
  }

  private static Object string(ConfigNode node, String key, BindContext ctx) {
    String s = stringOrNull(node);
    if (s == null) {
      ctx.expected(key, node, "a string");
      return FAILED;
    }
    return s;
  }

  /** The text of a non-null scalar (a string as is, another scalar as written), else null. */
  static String stringOrNull(ConfigNode node) {
    if (node instanceof ConfigScalar s && !s.isNull()) {
      return s.value() instanceof String str ? str : s.text();
    }
    return null;
  }

  private static Converter<Object> integer(long min, long max, String what, boolean asInt) {
    return (node, key, ctx) -> {
      Object v = scalarValue(node, key, ctx, what);
      if (v == null) {
        return FAILED;
      }
      if (tooManyDigits(v)) {
        ctx.expected(key, node, what + " of at most " + MAX_DIGITS + " digits");
        return FAILED;
      }
      Number n = integerValue(v);
      if (n instanceof Long l && l >= min && l <= max) {
        return asInt ? (Object) (int) (long) l : (Object) l;
      }
      ctx.expected(key, node, n == null ? what : what + " (in range " + min + ".." + max + ")");
      return FAILED;
    };
  }

  /**
   * The most digits of a number held in a string that accessors convert: a number literal's limit
   * ({@link ParseLimits#maxNumberDigits()} by default), checked before anything converts it
   * (converting a 262,000-digit string took seconds).
   */
  private static final int MAX_DIGITS = ParseLimits.defaults().maxNumberDigits();

  private static boolean tooManyDigits(Object v) {
    if (!(v instanceof String s) || s.length() <= MAX_DIGITS) {
      return false;
    }
    return Scalars.numberDigits(s.trim()) > MAX_DIGITS;
  }

  /** A Long or BigInteger from an integer scalar or a string holding one; else null. */
  private static Number integerValue(Object v) {
    return v instanceof String s
        ? Scalars.parseInteger(s.trim())
        : v instanceof Boolean || v instanceof Double ? null : (Number) v;
  }

  private static Object bigInteger(ConfigNode node, String key, BindContext ctx) {
    Object v = scalarValue(node, key, ctx, "an integer");
    if (v == null) {
      return FAILED;
    }
    if (tooManyDigits(v)) {
      ctx.expected(key, node, "an integer of at most " + MAX_DIGITS + " digits");
      return FAILED;
    }
    Number n = integerValue(v);
    if (n == null) {
      ctx.expected(key, node, "an integer");
      return FAILED;
    }
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  private static Object toDouble(ConfigNode node, String key, BindContext ctx) {
    Object v = scalarValue(node, key, ctx, "a number");
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (tooManyDigits(v)) {
      ctx.expected(key, node, "a number of at most " + MAX_DIGITS + " digits");
      return FAILED;
    }
    if (v instanceof String s) {
      Double d = Scalars.parseFloat(s.trim());
      Number i = d == null ? Scalars.parseInteger(s.trim()) : null;
      if (d != null || i != null) {
        return d != null ? d : i.doubleValue();
      }
    }
    if (v != null) {
      ctx.expected(key, node, "a number");
    }
    return FAILED;
  }

  private static Object toBoolean(ConfigNode node, String key, BindContext ctx) {
    String expectation = "a boolean (true or false)";
    Object v = scalarValue(node, key, ctx, expectation);
    if (v instanceof Boolean b) {
      return b;
    }
    Boolean parsed = v instanceof String s ? Scalars.parseBoolean(s.trim()) : null;
    if (parsed != null) {
      return parsed;
    }
    if (v != null) {
      ctx.expected(key, node, expectation);
    }
    return FAILED;
  }

  private static Object duration(ConfigNode node, String key, BindContext ctx) {
    Object v = scalarValue(node, key, ctx, Durations.EXPECTATION);
    if (v == null) {
      return FAILED;
    }
    if (v instanceof Long l && l == 0) {
      return Duration.ZERO;
    }
    if (!(v instanceof String s)) {
      ctx.expected(key, node, Durations.EXPECTATION + " (a number needs a unit)");
      return FAILED;
    }
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      ctx.expected(key, node, Durations.EXPECTATION);
      return FAILED;
    }
  }

  private static Object dataSize(ConfigNode node, String key, BindContext ctx) {
    String expectation = "a data size like 512B, 64KB or 16MB";
    Object v = scalarValue(node, key, ctx, expectation);
    if (v == null) {
      return FAILED;
    }
    try {
      if (v instanceof Long l) {
        return DataSize.ofBytes(l);
      }
      if (v instanceof String s) {
        return DataSize.parse(s);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    ctx.expected(key, node, expectation);
    return FAILED;
  }

  /** A regular expression, compiled as written (no flags); a malformed one says why. */
  private static Object pattern(ConfigNode node, String key, BindContext ctx) {
    String s = stringOrNull(node);
    if (s != null) {
      try {
        return Pattern.compile(s);
      } catch (PatternSyntaxException e) {
        // the description names the mistake, not the text (the value is shown through the
        // redactor by the problem itself)
        ctx.expected(key, node, "a regular expression (" + e.getDescription() + ")");
        return FAILED;
      }
    }
    ctx.expected(key, node, "a regular expression");
    return FAILED;
  }

  private static Object uri(ConfigNode node, String key, BindContext ctx) {
    String s = stringOrNull(node);
    if (s != null) {
      try {
        return new URI(s);
      } catch (URISyntaxException e) {
        // reported below
      }
    }
    ctx.expected(key, node, "a URI");
    return FAILED;
  }

  /**
   * A path; a relative one resolves against the folder of the file its origin names ({@link
   * dev.hotconf.ConfigOrigin#file()}), and stays relative (to the working directory) otherwise.
   */
  private static Object path(ConfigNode node, String key, BindContext ctx) {
    String s = stringOrNull(node);
    if (s != null && !s.isEmpty() && s.indexOf('\0') < 0) {
      try {
        Path p = Path.of(s);
        Optional<Path> file = node.origin().file();
        if (file.isEmpty()) {
          return p;
        }
        Path folder = file.get().toAbsolutePath().normalize().getParent();
        return (folder == null ? p.toAbsolutePath() : folder.resolve(p)).normalize();
      } catch (InvalidPathException e) {
        // reported below
      }
    }
    ctx.expected(key, node, "a path");
    return FAILED;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Converter<?> enumOf(Class<?> c) {
    Object[] constants = c.getEnumConstants();
    StringBuilder names = new StringBuilder();
    for (Object o : constants) {
      names.append(names.length() == 0 ? "" : ", ").append(((Enum) o).name());
    }
    String expectation = "one of " + names;
    return (node, key, ctx) -> {
      String s = stringOrNull(node);
      if (s != null) {
        for (Object o : constants) {
          if (((Enum) o).name().equals(s)) {
            return o;
          }
        }
        String normalized = s.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (Object o : constants) {
          if (((Enum) o).name().toUpperCase(Locale.ROOT).equals(normalized)) {
            return o;
          }
        }
      }
      ctx.expected(key, node, expectation);
      return FAILED;
    };
  }

  private static Converter<List<Object>> listOf(Converter<?> element) {
    return (node, key, ctx) -> {
      List<ConfigNode> items;
      if (node instanceof ConfigList list) {
        items = list.elements();
      } else if (node instanceof ConfigScalar s && s.value() instanceof String str) {
        items = new ArrayList<>();
        if (!str.isBlank()) {
          for (String part : str.split(",")) {
            items.add(ConfigScalar.of(part.trim(), part.trim(), node.origin()));
          }
        }
      } else {
        ctx.expected(key, node, "a list");
        return FAILED;
      }
      List<Object> out = new ArrayList<>(items.size());
      boolean failed = false;
      for (int i = 0; i < items.size(); i++) {
        Object v = element.convert(items.get(i), PathSyntax.child(key, i), ctx);
        failed |= v == FAILED;
        out.add(v);
      }
      return failed ? FAILED : Collections.unmodifiableList(out);
    };
  }

  private static Converter<Map<String, Object>> mapOf(Converter<?> value) {
    return (node, key, ctx) -> {
      if (!(node instanceof ConfigObject obj)) {
        ctx.expected(key, node, "an object");
        return FAILED;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      boolean failed = false;
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        Object v = value.convert(e.getValue(), PathSyntax.child(key, e.getKey()), ctx);
        failed |= v == FAILED;
        out.put(e.getKey(), v);
      }
      return failed ? FAILED : Collections.unmodifiableMap(out);
    };
  }
}
