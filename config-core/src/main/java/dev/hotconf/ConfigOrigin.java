package dev.hotconf;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a value, or a problem, came from: the source's name, a location inside it (a file path, a
 * Consul key with its ModifyIndex, an environment variable) and, where the format has them, a
 * 1-based line and column.
 *
 * <p>{@link #toString()} renders {@code location:line:col} (or {@code location} alone without a
 * line), which is the prefix of every error message hotconf produces.
 *
 * <p>An origin made with {@link #ofFile} also knows the {@link #file() file} it names; {@link
 * dev.hotconf.bind.Binder binding} resolves a relative {@code Path} value against that file's
 * folder. The file is not part of equality (the location already names it).
 *
 * <p>Immutable and thread-safe. No argument may be null.
 */
public final class ConfigOrigin {
  private final String sourceName;
  private final String location;
  private final int line;
  private final int column;
  private final Path file;

  private ConfigOrigin(String sourceName, String location, int line, int column, Path file) {
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    this.location = Objects.requireNonNull(location, "location");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(
          "line and column must be >= 0 but were " + line + ":" + column);
    }
    this.line = line;
    this.column = column;
    this.file = file;
  }

  /** An origin without a position, e.g. {@code of("env", "APP_DB_URL")}. */
  public static ConfigOrigin of(String sourceName, String location) {
    return new ConfigOrigin(sourceName, location, 0, 0, null);
  }

  /**
   * An origin for the file {@code file} (its location is the path as given), e.g. {@code
   * ofFile("sidecar", Path.of("sidecar.yaml"))}. Relative {@code Path} values bound from this
   * origin (or from its {@link #at positions}) resolve against the file's folder.
   */
  public static ConfigOrigin ofFile(String sourceName, Path file) {
    Objects.requireNonNull(file, "file");
    return new ConfigOrigin(sourceName, file.toString(), 0, 0, file);
  }

  /** An origin with a 1-based line and column (0 means unknown). */
  public static ConfigOrigin of(String sourceName, String location, int line, int column) {
    return new ConfigOrigin(sourceName, location, line, column, null);
  }

  /** This origin at another position in the same location (the same file, if any). */
  public ConfigOrigin at(int line, int column) {
    if (line == this.line && column == this.column) {
      return this;
    }
    return new ConfigOrigin(sourceName, location, line, column, file);
  }

  /** The file this origin names, when it was made with {@link #ofFile}. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The name of the source that delivered the value (e.g. {@code file}, {@code consul}). */
  public String sourceName() {
    return sourceName;
  }

  /** A file path, a Consul {@code key@index}, an environment variable name. */
  public String location() {
    return location;
  }

  /** 1-based line, or 0 when the format has no lines. */
  public int line() {
    return line;
  }

  /** 1-based column, or 0 when unknown. */
  public int column() {
    return column;
  }

  public boolean hasPosition() {
    return line > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigOrigin other
        && line == other.line
        && column == other.column
        && sourceName.equals(other.sourceName)
        && location.equals(other.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceName, location, line, column);
  }

  @Override
  public String toString() {
    if (line == 0) {
      return location;
    }
    return column == 0 ? location + ":" + line : location + ":" + line + ":" + column;
  }
}
