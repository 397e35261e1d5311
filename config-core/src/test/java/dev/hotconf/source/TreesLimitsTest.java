package dev.hotconf.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.parse.ParseLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Trees#fromStrings(Map, Map, ConfigOrigin, ParseLimits)}: flat pairs from untrusted input.
 */
@Timeout(10)
class TreesLimitsTest {
  private static final ConfigOrigin ROOT = ConfigOrigin.of("src", "consul:config/app/");

  private static String deep(int levels) {
    return "a.".repeat(levels - 1) + "leaf";
  }

  @Test
  void withinTheLimitsItIsTheSameTree() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("db.pool.max", "20");
    values.put(deep(64), "x");
    ConfigObject tree = Trees.fromStrings(values, Map.of(), ROOT, ParseLimits.defaults());
    assertThat(tree).isEqualTo(Trees.fromStrings(values, Map.of(), ROOT));
  }

  @Test
  void aKeyDeeperThanTheLimitIsAProblemAtItsOriginWithTheKeyShortened() {
    ConfigOrigin at = ConfigOrigin.of("src", "consul:config/app/a/a@7");
    Map<String, String> values = Map.of(deep(65), "x");
    assertThatThrownBy(
            () -> Trees.fromStrings(values, Map.of(deep(65), at), ROOT, ParseLimits.defaults()))
        .isInstanceOfSatisfying(
            ConfigParseException.class,
            e -> {
              Problem p = e.problems().get(0);
              assertThat(p.origin()).isEqualTo(at);
              assertThat(p.message())
                  .isEqualTo("is 65 levels deep, over the limit of 64 (maxNestingDepth)");
              assertThat(p.key())
                  .startsWith("a.a.a")
                  .endsWith("(" + deep(65).length() + " characters)");
            });
  }

  /** 60,000 levels would overflow the stack while the tree is built: checked before. */
  @Test
  void sixtyThousandLevelsAreRejectedBeforeAnyTreeIsBuilt() {
    Map<String, String> values = Map.of(deep(60_000), "x");
    assertThatThrownBy(() -> Trees.fromStrings(values, Map.of(), ROOT, ParseLimits.defaults()))
        .isInstanceOf(ConfigParseException.class)
        .hasMessageContaining("is 60000 levels deep")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
  }

  @Test
  void tooManyKeysOrBytesAreOneProblemEach() {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      values.put("k" + i, "v");
    }
    ParseLimits tenValues = ParseLimits.builder().maxValues(10).build();
    assertThatThrownBy(() -> Trees.fromStrings(values, Map.of(), ROOT, tenValues))
        .hasMessage("consul:config/app/: 11 keys, over the limit of 10 values (maxValues)");

    // bytes in UTF-8: "k" 1 + "é€😀" 2 + 3 + 4 = 10
    Map<String, String> wide = Map.of("k", "é€😀");
    ParseLimits nineBytes = ParseLimits.builder().maxDocumentBytes(9).build();
    assertThatThrownBy(() -> Trees.fromStrings(wide, Map.of(), ROOT, nineBytes))
        .hasMessageContaining("keys and values are 10 bytes, over the limit of 9 bytes");
    assertThat(
            Trees.fromStrings(
                    wide, Map.of(), ROOT, ParseLimits.builder().maxDocumentBytes(10).build())
                .unwrapped())
        .isEqualTo(Map.of("k", "é€😀"));
  }

  @Test
  void manyKeysTooDeepAreCountedAfterTheFirstTen() {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < 25; i++) {
      values.put("k" + i + ".b.c", "v");
    }
    ParseLimits two = ParseLimits.builder().maxNestingDepth(2).build();
    assertThatThrownBy(() -> Trees.fromStrings(values, Map.of(), ROOT, two))
        .isInstanceOfSatisfying(
            ConfigParseException.class,
            e -> {
              assertThat(e.problems()).hasSize(11);
              assertThat(e.problems().get(10).message())
                  .isEqualTo("15 more keys are over the limit of 2 levels (maxNestingDepth)");
            });
  }
}
