package dev.hotconf.validate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a schema file into a {@link Validator}, for settings that name one ({@code schema:
 * schema.json} in {@code sidecar.yaml}, {@code hotconf.schema} in the framework adapters). Found
 * with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.hotconf.validate.SchemaProvider}); the config-schema module provides JSON
 * Schema, so config-core itself needs no schema library.
 *
 * <p>Implementations are thread-safe, with a public no-argument constructor, and load nothing heavy
 * before {@link #load} is called.
 */
public interface SchemaProvider {
  /**
   * A validator for the schema in {@code file}.
   *
   * @param strict also reject keys the schema does not declare
   * @throws IOException when the file cannot be read
   * @throws dev.hotconf.ConfigException when it cannot be parsed (problems at their line:col)
   * @throws IllegalArgumentException when it is not a usable schema
   */
  Validator load(Path file, boolean strict) throws IOException;
}
