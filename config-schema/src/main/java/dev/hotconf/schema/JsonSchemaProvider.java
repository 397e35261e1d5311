package dev.hotconf.schema;

import dev.hotconf.validate.SchemaProvider;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * JSON Schema support for settings that name a schema ({@code schema:} in {@code sidecar.yaml},
 * {@code hotconf.schema} in the framework adapters): registered for {@link java.util.ServiceLoader}
 * as a {@link SchemaProvider}, it loads the file with {@link JsonSchemaValidator#fromFile}. Nothing
 * of Jackson or networknt is loaded before {@link #load} is called. Stateless and thread-safe.
 */
public final class JsonSchemaProvider implements SchemaProvider {
  @Override
  public Validator load(Path file, boolean strict) throws IOException {
    return JsonSchemaValidator.fromFile(file).strict(strict);
  }
}
