package dev.hotconf.parse;

/**
 * Limits that keep a hostile or broken document from exhausting memory or stack. Applied to every
 * format.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>limit</th><th>default</th></tr>
 *   <tr><td>{@code maxDocumentBytes}</td><td>4 MiB</td></tr>
 *   <tr><td>{@code maxNestingDepth}</td><td>64</td></tr>
 *   <tr><td>{@code maxAliases}</td><td>50 (YAML aliases to collections)</td></tr>
 *   <tr><td>{@code maxValues}</td><td>200,000 leaves after alias expansion</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; the builder checks every input when it is given.
 */
public final class ParseLimits {
  private static final ParseLimits DEFAULTS = builder().build();

  private final int maxDocumentBytes;
  private final int maxNestingDepth;
  private final int maxAliases;
  private final int maxValues;

  private ParseLimits(Builder b) {
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.maxNestingDepth = b.maxNestingDepth;
    this.maxAliases = b.maxAliases;
    this.maxValues = b.maxValues;
  }

  public static ParseLimits defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }

  public int maxNestingDepth() {
    return maxNestingDepth;
  }

  public int maxAliases() {
    return maxAliases;
  }

  public int maxValues() {
    return maxValues;
  }

  @Override
  public String toString() {
    return "ParseLimits{maxDocumentBytes="
        + maxDocumentBytes
        + ", maxNestingDepth="
        + maxNestingDepth
        + ", maxAliases="
        + maxAliases
        + ", maxValues="
        + maxValues
        + "}";
  }

  /** Builder for {@link ParseLimits}; not thread-safe. */
  public static final class Builder {
    private int maxDocumentBytes = 4 * 1024 * 1024;
    private int maxNestingDepth = 64;
    private int maxAliases = 50;
    private int maxValues = 200_000;

    private Builder() {}

    public Builder maxDocumentBytes(int bytes) {
      this.maxDocumentBytes = atLeast("maxDocumentBytes", bytes, 1);
      return this;
    }

    public Builder maxNestingDepth(int depth) {
      this.maxNestingDepth = atLeast("maxNestingDepth", depth, 1);
      return this;
    }

    public Builder maxAliases(int aliases) {
      this.maxAliases = atLeast("maxAliases", aliases, 0);
      return this;
    }

    public Builder maxValues(int values) {
      this.maxValues = atLeast("maxValues", values, 1);
      return this;
    }

    public ParseLimits build() {
      return new ParseLimits(this);
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
      }
      return value;
    }
  }
}
