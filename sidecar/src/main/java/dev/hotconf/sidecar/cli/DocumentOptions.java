package dev.hotconf.sidecar.cli;

import dev.hotconf.parse.ConfigFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the instances read a document that a command validates before writing it to Consul ({@code
 * publish}, {@code rollout start}): schema, strict mode and format. A picocli mixin; its values are
 * handed to {@link DocumentCheck}. Set by picocli on the command's thread; fields may be null.
 */
final class DocumentOptions {
  @Option(
      names = "--schema",
      paramLabel = "FILE",
      description = "JSON Schema (2020-12, JSON or YAML) the instances validate with.")
  Path schema;

  @Option(
      names = "--strict",
      description = "Also reject keys the schema does not declare (needs --schema).")
  boolean strict;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = FormatConverter.class,
      description =
          "The format the instances read the key as: yaml, json, properties (default: by the"
              + " key's extension, else the file's, else yaml).")
  ConfigFormat type;
}
