package dev.hotconf.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.DataSize;
import dev.hotconf.Problem;
import dev.hotconf.bind.Binder;
import dev.hotconf.bind.Bound;
import dev.hotconf.internal.PathSyntax;
import dev.hotconf.parse.ConfigFormat;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the value converters behind settings and snapshot reads (through {@link Binder}, lenient
 * and strict), and the dotted-path syntax. Contracts: binding returns a non-null value or at least
 * one problem with a message, never throws; {@link PathSyntax#parse} returns non-empty segments or
 * throws IllegalArgumentException.
 */
class ConvertFuzzTest {
  enum Mode {
    FAST,
    SAFE,
    OFF
  }

  record Pool(
      int size, Duration timeout, Optional<String> name, List<Long> ports, DataSize buffer) {
    Pool {
      if (size < 0) {
        throw new IllegalArgumentException("size must be >= 0");
      }
    }
  }

  record Outer(Pool pool, Map<String, Integer> weights, Mode mode) {}

  static final List<Type> TYPES =
      List.of(
          String.class,
          Integer.class,
          Long.class,
          Double.class,
          Boolean.class,
          BigInteger.class,
          Duration.class,
          DataSize.class,
          URI.class,
          Mode.class,
          Pool.class,
          Outer.class,
          Object.class,
          Map.class,
          List.class,
          ConfigObject.class,
          Types.LIST_OF_STRING,
          Types.LIST_OF_DURATION,
          Types.MAP_OF_LONG,
          Types.OPTIONAL_INT);

  /** Generic types captured from fields. */
  static final class Types {
    List<String> a;
    List<Duration> b;
    Map<String, Long> c;
    Optional<Integer> d;
    static final Type LIST_OF_STRING = field("a");
    static final Type LIST_OF_DURATION = field("b");
    static final Type MAP_OF_LONG = field("c");
    static final Type OPTIONAL_INT = field("d");

    private static Type field(String name) {
      try {
        return Types.class.getDeclaredField(name).getGenericType();
      } catch (NoSuchFieldException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * The input is a YAML document (realistic nodes); every node of it goes through every converter.
   */
  @FuzzTest(maxDuration = "10m")
  void convert(byte[] input) {
    ConfigObject root;
    try {
      root = ConfigFormat.YAML.parse(input, ParseFuzzTest.ORIGIN, ParseFuzzTest.LIMITS);
    } catch (ConfigParseException e) {
      return;
    }
    List<ConfigNode> nodes = new ArrayList<>();
    nodes.add(root);
    nodes.addAll(root.entries().values());
    for (ConfigNode node : nodes.subList(0, Math.min(nodes.size(), 16))) {
      for (Type type : TYPES) {
        convertOne(type, node);
      }
    }
  }

  static void convertOne(Type type, ConfigNode node) {
    for (Binder binder : new Binder[] {Binder.lenient(), Binder.strict()}) {
      Bound<Object> bound;
      try {
        bound = binder.tryBind(node, "k", type);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("converting to " + type.getTypeName() + " threw " + e, e);
      }
      if (!bound.ok()) {
        for (Problem p : bound.problems()) {
          assertNotNull(p.message(), "problem without a message");
        }
        if (bound.value() != null) {
          fail("converting to " + type.getTypeName() + " gave a value and problems");
        }
      } else if (bound.value() == null && type != Object.class) {
        fail("converting to " + type.getTypeName() + " returned null");
      }
    }
  }

  @FuzzTest(maxDuration = "10m")
  void pathSyntax(FuzzedDataProvider data) {
    String path = data.consumeRemainingAsString();
    Object[] segments;
    try {
      segments = PathSyntax.parse(path);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertTrue(segments.length > 0, "no segments for '" + path + "'");
    // rendering the segments back gives the same path
    String rendered = null;
    for (Object s : segments) {
      assertTrue(
          s instanceof String str && !str.isEmpty() || s instanceof Integer i && i >= 0,
          "bad segment " + s + " in '" + path + "'");
      rendered = rendered == null ? (String) s : PathSyntax.child(rendered, s);
    }
    String r = rendered;
    // indexes may be written with leading zeros ([007]); compare after re-parsing
    assertTrue(
        java.util.Arrays.equals(segments, PathSyntax.parse(r)),
        () -> "'" + path + "' renders as '" + r + "' which parses differently");
    assertNotNull(path.getBytes(StandardCharsets.UTF_8));
  }
}
