package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link HotconfCommand#execute} builds only the command its arguments name; what the user sees
 * (output, errors, exit code) must be exactly what the whole command tree gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LazySubcommandsTest {
  @TempDir Path dir;

  private static final UnaryOperator<String> NO_ENV = Map.<String, String>of()::get;

  record Run(int exit, String out, String err) {}

  private static Run lazy(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        HotconfCommand.execute(
            args, stdin(), new PrintWriter(out, true), new PrintWriter(err, true), NO_ENV);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run whole(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        HotconfCommand.newCommandLine(
                stdin(), new PrintWriter(out, true), new PrintWriter(err, true), NO_ENV)
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static ByteArrayInputStream stdin() {
    return new ByteArrayInputStream("a: 1\n".getBytes());
  }

  @Test
  void everyRegisteredNameIsItsCommandsOwnName() {
    for (HotconfCommand.Subcommand s : HotconfCommand.SUBCOMMANDS) {
      assertThat(new CommandLine(s.create()).getCommandName()).isEqualTo(s.name());
    }
  }

  @Test
  void aNamedCommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
    assertThat(HotconfCommand.needed(new String[] {"--stacktrace", "validate", "x.yaml"}))
        .extracting(HotconfCommand.Subcommand::name)
        .containsExactly("validate");
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"help", "validate"},
            new String[] {"validat", "x.yaml"},
            new String[] {"--help"},
            new String[] {"-h", "validate"},
            new String[] {"--version", "validate"})) {
      assertThat(HotconfCommand.needed(args)).isEqualTo(HotconfCommand.SUBCOMMANDS);
    }
  }

  @Test
  void whatTheUserSeesIsTheSameAsWithTheWholeTree() throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "a: 1\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "a: 1\na: 2\n");
    List<String[]> cases =
        List.of(
            new String[] {"validate", good.toString()},
            new String[] {"validate", bad.toString()},
            new String[] {"validate", "--format", "json", bad.toString()},
            new String[] {"--stacktrace", "validate", dir.resolve("missing.yaml").toString()},
            new String[] {"validate"},
            new String[] {"validate", "--help"},
            new String[] {"validate", "--no-such-option", good.toString()},
            new String[] {"get", good.toString(), "a"},
            new String[] {"diff", good.toString(), bad.toString()},
            new String[] {"run", "--help"},
            new String[] {"publish", "--help"},
            new String[] {"fleet", "--help"},
            new String[] {"fleet", "status"},
            new String[] {"version"},
            new String[] {"validat", good.toString()},
            new String[] {"help", "validate"},
            new String[] {"-h", "validate"},
            new String[] {"--help", "validate", good.toString()},
            new String[] {"--no-such-flag", "validate", good.toString()},
            new String[] {});
    for (String[] args : cases) {
      Run whole = whole(args);
      assertThat(lazy(args)).as(String.join(" ", args)).isEqualTo(whole);
    }
    assertThat(lazy("validat", good.toString()).err()).contains("validate");
  }
}
