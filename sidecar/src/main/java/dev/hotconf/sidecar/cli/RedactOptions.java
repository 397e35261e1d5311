package dev.hotconf.sidecar.cli;

import dev.hotconf.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --redact PATTERN}, shared by the commands that print values or messages about them ({@code
 * validate}, {@code get}, {@code diff}, {@code publish}): more keys to treat as secret, on top of
 * config-core's defaults. A malformed pattern is a usage error (exit 2).
 */
public final class RedactOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--redact",
      paramLabel = "PATTERN",
      description = {
        "Also treat keys matching PATTERN as secret (a regular expression, case-insensitive,"
            + " found anywhere in the dotted key, e.g. 'pin$'); repeatable. Adds to the defaults"
            + " (password, secret, token, key, pass, ...)."
      })
  List<String> patterns = new ArrayList<>();

  /** The redactor: the defaults plus every {@code --redact} pattern. */
  public Redactor redactor() {
    if (patterns.isEmpty()) {
      return Redactor.defaults();
    }
    try {
      return Redactor.defaultsPlus(patterns.toArray(new String[0]));
    } catch (PatternSyntaxException e) {
      throw new CommandLine.ParameterException(
          mixee.commandLine(),
          "--redact: invalid regular expression '" + e.getPattern() + "': " + e.getDescription());
    }
  }
}
