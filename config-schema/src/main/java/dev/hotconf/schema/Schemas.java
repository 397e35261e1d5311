package dev.hotconf.schema;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a schema check without exposing Jackson or networknt types, so that commands run without
 * {@code --schema} never load those classes (startup time).
 */
public final class Schemas {
  private Schemas() {}

  /** See {@link JsonSchemaValidator#fromFile(Path)}. */
  public static TreeCheck load(Path schemaFile, boolean strict) throws IOException {
    return JsonSchemaValidator.fromFile(schemaFile).strict(strict);
  }
}
