package dev.hotconf.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.source.Trees;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link JsonSchemaValidator#check} with a fixed schema and a fuzzed YAML document (parsed
 * by config-core). Contract: it returns a list of problems (each with a message), in normal and
 * strict mode, and never throws; no message quotes the value of a secret key.
 */
class JsonSchemaFuzzTest {
  static final String SCHEMA_TEXT =
      """
      $schema: https://json-schema.org/draft/2020-12/schema
      type: object
      required: [db, server]
      additionalProperties: false
      $defs:
        port: {type: integer, minimum: 1, maximum: 65535}
        duration: {type: string, pattern: "^[0-9]+(ms|s|m|h)$"}
      properties:
        db:
          type: object
          required: [url]
          properties:
            url: {type: string, format: uri, minLength: 5}
            password: {type: string, maxLength: 64}
            pool:
              type: object
              properties:
                size: {type: integer, exclusiveMinimum: 0, multipleOf: 2}
                timeout: {$ref: "#/$defs/duration"}
        server:
          type: object
          properties:
            port: {$ref: "#/$defs/port"}
            mode: {enum: [fast, safe, "off"]}
            tags: {type: array, items: {type: string}, uniqueItems: true, maxItems: 4}
            version: {const: 2}
          patternProperties:
            "^x-": {type: [string, number]}
          minProperties: 1
          maxProperties: 6
        features:
          oneOf:
            - {type: array, prefixItems: [{type: boolean}, {type: number}], minItems: 1}
            - {type: object, unevaluatedProperties: {type: boolean}}
          if: {type: array}
          then: {maxItems: 3}
          else: {properties: {beta: {type: boolean}}}
      """;

  static final JsonSchemaValidator VALIDATOR =
      JsonSchemaValidator.fromTree(
          ConfigFormat.YAML.parse(
              SCHEMA_TEXT.getBytes(StandardCharsets.UTF_8),
              ConfigOrigin.of("schema", "schema.yaml")));
  static final JsonSchemaValidator STRICT = VALIDATOR.strict(true);
  static final Redactor REDACTOR = Redactor.defaults();
  static final ParseLimits LIMITS =
      ParseLimits.builder().maxDocumentBytes(64 * 1024).maxValues(20_000).build();

  @FuzzTest(maxDuration = "10m")
  void check(byte[] input) {
    ConfigObject root;
    try {
      root = ConfigFormat.YAML.parse(input, ConfigOrigin.of("fuzz", "fuzz.yaml"), LIMITS);
    } catch (ConfigParseException e) {
      return;
    }
    for (JsonSchemaValidator v : List.of(VALIDATOR, STRICT)) {
      List<Problem> problems = v.check(root, REDACTOR);
      assertNotNull(problems);
      for (Problem p : problems) {
        assertNotNull(p.message());
        assertFalse(p.message().isEmpty());
        assertNoSecret(root, p);
      }
    }
  }

  /**
   * Whether {@code text} also appears inside a value under a non-secret key: redaction is by key,
   * so a message may quote that other value (found by fuzzing: a timeout written as the password +
   * "5s").
   */
  static boolean quotedInAnotherValue(ConfigObject root, String text) {
    for (Map.Entry<String, ConfigNode> e : Trees.flatten(root).entrySet()) {
      if (!REDACTOR.isSecret(e.getKey())
          && e.getValue() instanceof ConfigScalar s
          && s.text().contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** A secret's value (when distinctive: 8+ characters, not schema or key text) is never quoted. */
  static void assertNoSecret(ConfigObject root, Problem p) {
    for (Map.Entry<String, ConfigNode> e : Trees.flatten(root).entrySet()) {
      if (REDACTOR.isSecret(e.getKey()) && e.getValue() instanceof ConfigScalar s) {
        String text = s.text();
        if (text.length() >= 8
            && !SCHEMA_TEXT.contains(text)
            && !String.valueOf(p.key()).contains(text)
            && !String.valueOf(p.origin()).contains(text)
            && !Trees.flatten(root).keySet().toString().contains(text)
            && !quotedInAnotherValue(root, text)) {
          assertFalse(
              p.message().contains(text),
              () -> "the message quotes the secret at " + e.getKey() + ": " + p);
        }
      }
    }
  }
}
