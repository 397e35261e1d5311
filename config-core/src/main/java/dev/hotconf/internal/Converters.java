package dev.hotconf.internal;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.DataSize;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts tree nodes to Java types: String, int/long/double/boolean (and boxes), BigInteger,
 * Duration, DataSize, URI, enums, {@code List<T>}, {@code Map<String, T>}, {@code Optional<T>} (in
 * records), records (bound by component name: {@code poolMax} matches {@code poolMax}, {@code
 * pool-max} or {@code pool_max}), and {@link ConfigNode} itself. Converters are built once per type
 * and are thread-safe.
 */
public final class Converters {
  private static final Pattern DURATION =
      Pattern.compile("\\s*(\\d+)\\s*(ns|us|µs|ms|s|m|h|d)\\s*");
  private static final Map<Type, Converter<?>> CACHE = new ConcurrentHashMap<>();

  /** Converts one node; throws with the expectation, never with the value's text. */
  @FunctionalInterface
  public interface Converter<T> {
    T convert(ConfigNode node) throws ConversionFailure;
  }

  private Converters() {}

  @SuppressWarnings("unchecked")
  public static <T> Converter<T> forClass(Class<T> type) {
    return (Converter<T>) forType(type);
  }

  public static Converter<?> forType(Type type) {
    Converter<?> cached = CACHE.get(type);
    if (cached == null) {
      cached = create(type);
      CACHE.putIfAbsent(type, cached);
    }
    return cached;
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
        return node -> Optional.of(inner.convert(node));
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
      return node -> (int) integer(node, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
    }
    if (c == Long.class || c == long.class) {
      return node -> integer(node, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
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
    if (c.isEnum()) {
      return enumOf(c);
    }
    if (c.isRecord()) {
      return record(c);
    }
    if (ConfigNode.class.isAssignableFrom(c)) {
      return node -> {
        if (!c.isInstance(node)) {
          throw ConversionFailure.expected(node, "a " + c.getSimpleName());
        }
        return node;
      };
    }
    if (c == Object.class) {
      return ConfigNode::unwrapped;
    }
    throw new IllegalArgumentException(
        "unsupported setting type "
            + c.getName()
            + ": use String, a number, boolean, Duration, DataSize, URI, an enum, a record, List or Map");
  }

  private static Object scalarValue(ConfigNode node, String expectation) throws ConversionFailure {
    if (node instanceof ConfigScalar s && !s.isNull()) {
      return s.value();
    }
    throw ConversionFailure.expected(node, expectation);
  }

  static String string(ConfigNode node) throws ConversionFailure {
    if (node instanceof ConfigScalar s && !s.isNull()) {
      return s.value() instanceof String str ? str : s.text();
    }
    throw ConversionFailure.expected(node, "a string");
  }

  private static long integer(ConfigNode node, long min, long max, String what)
      throws ConversionFailure {
    Object v = scalarValue(node, what);
    Number n =
        v instanceof String s
            ? integerText(node, s, what)
            : v instanceof Boolean || v instanceof Double ? null : (Number) v;
    if (n instanceof Long l && l >= min && l <= max) {
      return l;
    }
    throw ConversionFailure.expected(
        node, n == null ? what : what + " (in range " + min + ".." + max + ")");
  }

  /**
   * The integer a string holds, or null; a string of more digits than a number literal may have
   * ({@link ParseLimits#maxNumberDigits()} by default) is a failure before anything converts it.
   */
  private static Number integerText(ConfigNode node, String s, String what)
      throws ConversionFailure {
    String t = s.trim();
    checkDigits(node, t, what);
    return Scalars.parseInteger(t);
  }

  private static void checkDigits(ConfigNode node, String text, String what)
      throws ConversionFailure {
    int max = ParseLimits.defaults().maxNumberDigits();
    if (text.length() > max && Scalars.numberDigits(text) > max) {
      throw ConversionFailure.expected(node, what + " of at most " + max + " digits");
    }
  }

  private static BigInteger bigInteger(ConfigNode node) throws ConversionFailure {
    Object v = scalarValue(node, "an integer");
    Number n =
        v instanceof String s
            ? integerText(node, s, "an integer")
            : v instanceof Boolean || v instanceof Double ? null : (Number) v;
    if (n == null) {
      throw ConversionFailure.expected(node, "an integer");
    }
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  private static double toDouble(ConfigNode node) throws ConversionFailure {
    Object v = scalarValue(node, "a number");
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      checkDigits(node, s.trim(), "a number");
      Double d = Scalars.parseFloat(s.trim());
      Number i = d == null ? Scalars.parseInteger(s.trim()) : null;
      if (d != null || i != null) {
        return d != null ? d : i.doubleValue();
      }
    }
    throw ConversionFailure.expected(node, "a number");
  }

  private static boolean toBoolean(ConfigNode node) throws ConversionFailure {
    Object v = scalarValue(node, "a boolean (true or false)");
    if (v instanceof Boolean b) {
      return b;
    }
    Boolean parsed = v instanceof String s ? Scalars.parseBoolean(s.trim()) : null;
    if (parsed == null) {
      throw ConversionFailure.expected(node, "a boolean (true or false)");
    }
    return parsed;
  }

  private static Duration duration(ConfigNode node) throws ConversionFailure {
    String expectation = "a duration like 250ms, 5s, 2m or PT1H";
    Object v = scalarValue(node, expectation);
    if (v instanceof Long l && l == 0) {
      return Duration.ZERO;
    }
    if (!(v instanceof String s)) {
      throw ConversionFailure.expected(node, expectation + " (a number needs a unit)");
    }
    Matcher m = DURATION.matcher(s);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ns" -> Duration.ofNanos(n);
          case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      String t = s.trim();
      if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P") || t.startsWith("-p")) {
        return Duration.parse(t);
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      // fall through to the failure below
    }
    throw ConversionFailure.expected(node, expectation);
  }

  private static DataSize dataSize(ConfigNode node) throws ConversionFailure {
    Object v = scalarValue(node, "a data size like 512B, 64KB or 16MB");
    try {
      if (v instanceof Long l) {
        return DataSize.ofBytes(l);
      }
      if (v instanceof String s) {
        return DataSize.parse(s);
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw ConversionFailure.expected(node, "a data size like 512B, 64KB or 16MB");
  }

  private static URI uri(ConfigNode node) throws ConversionFailure {
    String s = string(node);
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw ConversionFailure.expected(node, "a URI");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Converter<?> enumOf(Class<?> c) {
    Object[] constants = c.getEnumConstants();
    StringBuilder names = new StringBuilder();
    for (Object o : constants) {
      names.append(names.length() == 0 ? "" : ", ").append(((Enum) o).name());
    }
    String expectation = "one of " + names;
    return node -> {
      String s = string(node);
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
      throw ConversionFailure.expected(node, expectation);
    };
  }

  private static Converter<List<Object>> listOf(Converter<?> element) {
    return node -> {
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
        throw ConversionFailure.expected(node, "a list");
      }
      List<Object> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        try {
          out.add(element.convert(items.get(i)));
        } catch (ConversionFailure f) {
          throw f.under("[" + i + "]");
        }
      }
      return Collections.unmodifiableList(out);
    };
  }

  private static Converter<Map<String, Object>> mapOf(Converter<?> value) {
    return node -> {
      if (!(node instanceof ConfigObject obj)) {
        throw ConversionFailure.expected(node, "an object");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
        try {
          out.put(e.getKey(), value.convert(e.getValue()));
        } catch (ConversionFailure f) {
          throw f.under("." + e.getKey());
        }
      }
      return Collections.unmodifiableMap(out);
    };
  }

  private static Converter<?> record(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Converter<?>[] converters = new Converter<?>[components.length];
    String[][] names = new String[components.length][];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      converters[i] = forType(components[i].getGenericType());
      names[i] = candidateNames(components[i].getName());
    }
    Constructor<?> constructor;
    try {
      constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot bind record " + type.getName() + ": " + e.getMessage(), e);
    }
    return node -> {
      if (!(node instanceof ConfigObject obj)) {
        throw ConversionFailure.expected(node, "an object for " + type.getSimpleName());
      }
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        args[i] = component(obj, components[i], names[i], converters[i], type);
      }
      try {
        return constructor.newInstance(args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        throw new ConversionFailure(
            "",
            null,
            type.getSimpleName()
                + " rejected the values: "
                + (cause == null
                    ? e
                    : cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
      } catch (ReflectiveOperationException e) {
        throw new ConversionFailure("", null, "cannot create " + type.getSimpleName() + ": " + e);
      }
    };
  }

  private static Object component(
      ConfigObject obj,
      RecordComponent component,
      String[] names,
      Converter<?> converter,
      Class<?> type)
      throws ConversionFailure {
    for (String name : names) {
      ConfigNode child = obj.get(name);
      if (child != null && !(child instanceof ConfigScalar s && s.isNull())) {
        try {
          return converter.convert(child);
        } catch (ConversionFailure f) {
          throw f.under("." + name);
        }
      }
    }
    if (component.getType() == Optional.class) {
      return Optional.empty();
    }
    throw new ConversionFailure(
        "." + names[1],
        null,
        "missing: required by " + type.getSimpleName() + "." + component.getName());
  }

  /** {@code poolMax} -> poolMax, pool-max, pool_max. */
  static String[] candidateNames(String name) {
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
}
