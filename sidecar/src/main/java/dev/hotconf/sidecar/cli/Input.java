package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.sidecar.internal.BoundedRead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One document to read: a file or stdin ({@code -}), shown as {@link #display()} in every message.
 * Parsing always goes through config-core's {@link ConfigFormat}.
 */
public record Input(Path path, String display, ConfigFormat format) {
  /** The name shown for standard input. */
  public static final String STDIN = "<stdin>";

  /**
   * The input for a command-line argument: {@code -} is stdin; a file's format comes from its
   * extension, else {@code type}, else YAML.
   */
  public static Input of(String arg, ConfigFormat type) {
    if (arg.equals("-")) {
      return new Input(null, STDIN, type == null ? ConfigFormat.YAML : type);
    }
    return file(Path.of(arg), arg, type);
  }

  static Input file(Path path, String display, ConfigFormat type) {
    ConfigFormat f =
        ConfigFormat.forFileName(path.getFileName() == null ? "" : path.getFileName().toString())
            .orElse(type == null ? ConfigFormat.YAML : type);
    return new Input(path, display, f);
  }

  public boolean isStdin() {
    return path == null;
  }

  /**
   * The raw bytes. A regular file is read whole (its size is known; the parser reports one over the
   * document limit as an ordinary problem, with its size). Standard input, pipes and devices may
   * never end: they are read up to the document limit ({@link ParseLimits#maxDocumentBytes()}) and
   * one byte more is an {@link IOException} ({@code /dev/zero} given by mistake ends at once).
   */
  public byte[] read(InputStream stdin) throws IOException {
    int max = ParseLimits.defaults().maxDocumentBytes();
    if (path == null) {
      return BoundedRead.readAll(stdin, max, "the document limit");
    }
    return BoundedRead.readDocument(path, max, "the document limit");
  }

  /**
   * Reads and parses; an I/O failure is a {@link CliException} (exit 2), bad content a {@link
   * ConfigException}.
   */
  public ConfigObject load(InputStream stdin) {
    return load(stdin, Redactor.defaults());
  }

  /** As {@link #load(InputStream)}; parse messages hide what {@code redactor} hides. */
  public ConfigObject load(InputStream stdin, Redactor redactor) {
    byte[] bytes;
    try {
      bytes = read(stdin);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, display + ": " + describe(e), e);
    }
    return parse(bytes, redactor);
  }

  /** Parses {@code bytes} read from this input. */
  public ConfigObject parse(byte[] bytes, Redactor redactor) {
    return format.parse(bytes, ConfigOrigin.of("file", display), ParseLimits.defaults(), redactor);
  }

  /** A short reason for an I/O failure, without a stack trace. */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "cannot read: no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "cannot read: permission denied";
    }
    String m = e.getMessage();
    return "cannot read: " + (m == null ? e.getClass().getSimpleName() : m);
  }
}
