package dev.hotconf.distribution;

import dev.hotconf.sidecar.cli.HotconfCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step (not shipped): writes the bash/zsh completion script (picocli's {@link AutoComplete})
 * and the AsciiDoc man pages (picocli-codegen's {@link ManPageGenerator}, one per command,
 * converted to troff by Asciidoctor afterwards) from the very command line {@code hotconf} runs, so
 * both always match the commands and options.
 *
 * <p>Arguments: the completion script to write, the folder for the AsciiDoc pages.
 */
public final class DocsGenerator {
  private DocsGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: DocsGenerator COMPLETION_FILE ADOC_DIR");
    }
    CommandLine cl =
        HotconfCommand.newCommandLine(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    Path completion = Path.of(args[0]);
    Files.createDirectories(completion.toAbsolutePath().getParent());
    Files.writeString(completion, AutoComplete.bash("hotconf", cl), StandardCharsets.UTF_8);

    Path adoc = Path.of(args[1]);
    Files.createDirectories(adoc);
    List<CommandSpec> specs = new ArrayList<>();
    collect(cl, specs);
    int rc =
        ManPageGenerator.generateManPage(
            adoc.toFile(), null, new boolean[0], false, specs.toArray(new CommandSpec[0]));
    if (rc != 0) {
      throw new IllegalStateException("ManPageGenerator failed with " + rc);
    }
  }

  private static void collect(CommandLine cl, List<CommandSpec> out) {
    if (!cl.getCommandSpec().usageMessage().hidden()) {
      out.add(cl.getCommandSpec());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!out.contains(sub.getCommandSpec())) {
        collect(sub, out);
      }
    }
  }
}
