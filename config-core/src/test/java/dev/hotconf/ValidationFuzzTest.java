package dev.hotconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.internal.Converters;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.validate.Rules;
import dev.hotconf.validate.ValidationContext;
import dev.hotconf.validate.Validator;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the validation step of a reload: a parsed candidate goes through the {@link Rules}
 * validators and every kind of setting conversion, on keys picked from the document itself.
 * Contracts: validators only report problems (they never throw); a setting's conversion returns a
 * cell or throws {@link ConfigValueException}; every problem has a message; the outcome is
 * deterministic; a secret value (under a key the redactor treats as secret) never appears in a
 * problem.
 *
 * <p>Input layout: the rule parameters come from the end of the input (Jazzer's {@link
 * FuzzedDataProvider} takes primitives from the end), the rest is a document. Regression mode
 * replays {@code src/test/resources/dev/hotconf/ValidationFuzzTestInputs/validate/}.
 */
class ValidationFuzzTest {
  private static final ParseLimits LIMITS =
      ParseLimits.builder()
          .maxDocumentBytes(64 * 1024)
          .maxNestingDepth(64)
          .maxAliases(50)
          .maxValues(20_000)
          .build();
  private static final ConfigOrigin ORIGIN = ConfigOrigin.of("fuzz", "fuzz.yaml");
  private static final Redactor REDACTOR = Redactor.defaults();
  private static final ConfigFormat[] FORMATS = {
    ConfigFormat.YAML, ConfigFormat.JSON, ConfigFormat.PROPERTIES
  };
  private static final Class<?>[] TYPES = {
    Integer.class,
    Long.class,
    Double.class,
    Boolean.class,
    String.class,
    Duration.class,
    DataSize.class,
    URI.class,
    BigInteger.class
  };
  private static final String[] REGEXES = {
    "[a-z]+", "\\d{1,5}", ".*", "jdbc:.*", "(a|b)*c", "[^\\s]+"
  };
  private static final double[] BOUNDS = {
    Double.NEGATIVE_INFINITY,
    -1e18,
    -1,
    0,
    0.5,
    1,
    100,
    65535,
    Integer.MAX_VALUE,
    1e300,
    Double.POSITIVE_INFINITY
  };

  @FuzzTest(maxDuration = "10m")
  void validate(FuzzedDataProvider data) {
    ConfigFormat format = data.pickValue(FORMATS);
    int[] picks = new int[8];
    for (int i = 0; i < picks.length; i++) {
      picks[i] = data.consumeInt();
    }
    byte[] document = data.consumeRemainingAsBytes();
    ConfigObject root;
    try {
      root = format.parse(document, ORIGIN, LIMITS);
    } catch (ConfigParseException e) {
      return;
    }
    ConfigSnapshot candidate = ConfigSnapshot.candidate(root, Instant.EPOCH, REDACTOR);
    List<String> keys = new ArrayList<>(candidate.values().keySet());
    keys.add("db.pool.max");
    // allowed values for oneOf taken from the document, so it sometimes passes
    String allowed = candidate.node(pick(keys, picks[1])).map(ConfigNode::toString).orElse("x");
    List<Validator> validators = validators(keys, picks, allowed);

    List<Problem> first = run(candidate, validators, keys, picks);
    List<Problem> second = run(candidate, validators, keys, picks);
    assertEquals(first.toString(), second.toString(), "validation is not deterministic");
    for (Problem p : first) {
      assertNotNull(p.message(), "problem without a message");
      assertFalse(p.message().isEmpty(), "problem with an empty message");
    }
    assertNoSecretIn(first, candidate, allowed);
  }

  private static List<Validator> validators(List<String> keys, int[] picks, String allowed) {
    String a = pick(keys, picks[0]);
    String b = pick(keys, picks[1]);
    double lo = BOUNDS[Math.floorMod(picks[2], BOUNDS.length)];
    double hi = BOUNDS[Math.floorMod(picks[3], BOUNDS.length)];
    List<Validator> out = new ArrayList<>();
    out.add(Rules.required(a, b, "absent.key"));
    out.add(Rules.type(a, TYPES[Math.floorMod(picks[4], TYPES.length)]));
    out.add(Rules.range(b, Math.min(lo, hi), Math.max(lo, hi)));
    out.add(Rules.min(a, lo));
    out.add(Rules.pattern(b, REGEXES[Math.floorMod(picks[5], REGEXES.length)]));
    out.add(Rules.oneOf(a, allowed, "on", "10"));
    out.add(
        Rules.check(b, "must be below db.pool.max", c -> c.getInt(b) < c.getInt("db.pool.max")));
    return out;
  }

  /** The problems of the validators plus every setting kind's conversion of two picked keys. */
  private static List<Problem> run(
      ConfigSnapshot candidate, List<Validator> validators, List<String> keys, int[] picks) {
    ValidationContext ctx = new ValidationContext(candidate, REDACTOR);
    for (Validator v : validators) {
      v.validate(ctx);
    }
    List<Problem> problems = new ArrayList<>(ctx.problems());
    for (String key : List.of(pick(keys, picks[6]), pick(keys, picks[7]))) {
      List<Accessor<?>> settings =
          List.of(
              new IntSetting(null, key, Accessor.Kind.REQUIRED, 0),
              new LongSetting(null, key, Accessor.Kind.DEFAULTED, 1L),
              new DoubleSetting(null, key, Accessor.Kind.REQUIRED, 0d),
              new BooleanSetting(null, key, Accessor.Kind.DEFAULTED, true),
              new Setting<>(
                  null, key, Converters.forClass(Duration.class), Accessor.Kind.OPTIONAL, null),
              new Setting<>(
                  null, key, Converters.forClass(DataSize.class), Accessor.Kind.REQUIRED, null),
              new Setting<>(
                  null, key, Converters.forClass(Map.class), Accessor.Kind.REQUIRED, null),
              new Setting<>(
                  null, key, Converters.forClass(List.class), Accessor.Kind.DEFAULTED, List.of()));
      for (Accessor<?> s : settings) {
        try {
          assertNotNull(s.compute(candidate), "no cell for " + key);
        } catch (ConfigValueException e) {
          assertFalse(e.problems().isEmpty(), "a ConfigValueException without problems");
          problems.addAll(e.problems());
        }
      }
    }
    return problems;
  }

  /**
   * A secret value's text must not appear in any problem, unless the same text also appears
   * somewhere that may legitimately be quoted (a key, a non-secret value, a rule's parameter such
   * as the allowed values of oneOf, which the application wrote).
   */
  private static void assertNoSecretIn(
      List<Problem> problems, ConfigSnapshot candidate, String allowed) {
    StringBuilder quotable =
        new StringBuilder(String.join("\n", REGEXES))
            .append("\nabsent.key\non\n10\n")
            .append(allowed)
            .append('\n');
    List<String> secrets = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : candidate.values().entrySet()) {
      quotable.append(e.getKey()).append('\n');
      if (!(e.getValue() instanceof ConfigScalar scalar)) {
        continue;
      }
      if (REDACTOR.isSecret(e.getKey())) {
        secrets.add(scalar.text());
      } else {
        quotable.append(scalar.text()).append('\n');
      }
    }
    String permitted = quotable.toString();
    for (String secret : secrets) {
      if (secret.length() < 6 || permitted.contains(secret)) {
        continue;
      }
      for (Problem p : problems) {
        assertFalse(p.toString().contains(secret), () -> "secret value leaked into " + p);
      }
    }
  }

  private static String pick(List<String> keys, int index) {
    return keys.get(Math.floorMod(index, keys.size()));
  }
}
