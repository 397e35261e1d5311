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
 *   <tr><td>{@code maxScalarAliases}</td><td>10,000 (YAML aliases to scalars)</td></tr>
 *   <tr><td>{@code maxValues}</td><td>200,000 leaves after alias expansion</td></tr>
 *   <tr><td>{@code maxExpandedBytes}</td><td>4 &times; {@code maxDocumentBytes} (16 MiB): UTF-8
 *       bytes of every key and scalar after alias expansion</td></tr>
 *   <tr><td>{@code maxNumberDigits}</td><td>1,000 digits in an integer or float literal</td></tr>
 * </table>
 *
 * <p>The alias limits and {@code maxExpandedBytes} matter for YAML only (the other formats have no
 * aliases, and no document expands beyond its own size without them): an alias is shared in memory
 * while parsing but written out in full by everything that serialises the config (an HTTP answer, a
 * push body, a file), so a small document of aliases to one long string could otherwise become
 * hundreds of megabytes there. {@code maxNumberDigits} applies to every format and to values typed
 * from text (environment, system properties, Consul prefixes): converting a very long literal costs
 * time quadratic in its length. Each limit exceeded is an ordinary parse problem at the line and
 * column where it was exceeded.
 *
 * <p>Immutable and thread-safe; the builder checks every input when it is given ({@link
 * Builder#build()} checks that {@code maxExpandedBytes} is at least {@code maxDocumentBytes}).
 */
public final class ParseLimits {
  private static final ParseLimits DEFAULTS = builder().build();

  private final int maxDocumentBytes;
  private final int maxNestingDepth;
  private final int maxAliases;
  private final int maxScalarAliases;
  private final int maxValues;
  private final long maxExpandedBytes;
  private final int maxNumberDigits;

  private ParseLimits(Builder b) {
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.maxNestingDepth = b.maxNestingDepth;
    this.maxAliases = b.maxAliases;
    this.maxScalarAliases = b.maxScalarAliases;
    this.maxValues = b.maxValues;
    this.maxExpandedBytes = b.maxExpandedBytes > 0 ? b.maxExpandedBytes : 4L * b.maxDocumentBytes;
    this.maxNumberDigits = b.maxNumberDigits;
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

  /** The most YAML aliases to collections (each also counts the leaves it brings). */
  public int maxAliases() {
    return maxAliases;
  }

  /** The most YAML aliases to scalars, keys included. */
  public int maxScalarAliases() {
    return maxScalarAliases;
  }

  /** The most leaves (scalars, empty lists and objects), every alias counted as often as used. */
  public int maxValues() {
    return maxValues;
  }

  /**
   * The most UTF-8 bytes of keys and scalar values once every alias is expanded (YAML): by default
   * four times {@link #maxDocumentBytes()}.
   */
  public long maxExpandedBytes() {
    return maxExpandedBytes;
  }

  /**
   * The most digits in a number literal: integer digits (after {@code 0x}/{@code 0o}), or a float's
   * digits before and after the point and in its exponent. A longer literal is an error.
   */
  public int maxNumberDigits() {
    return maxNumberDigits;
  }

  @Override
  public String toString() {
    return "ParseLimits{maxDocumentBytes="
        + maxDocumentBytes
        + ", maxNestingDepth="
        + maxNestingDepth
        + ", maxAliases="
        + maxAliases
        + ", maxScalarAliases="
        + maxScalarAliases
        + ", maxValues="
        + maxValues
        + ", maxExpandedBytes="
        + maxExpandedBytes
        + ", maxNumberDigits="
        + maxNumberDigits
        + "}";
  }

  /** Builder for {@link ParseLimits}; not thread-safe. */
  public static final class Builder {
    private int maxDocumentBytes = 4 * 1024 * 1024;
    private int maxNestingDepth = 64;
    private int maxAliases = 50;
    private int maxScalarAliases = 10_000;
    private int maxValues = 200_000;
    private long maxExpandedBytes; // 0: four times maxDocumentBytes
    private int maxNumberDigits = 1_000;

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

    public Builder maxScalarAliases(int aliases) {
      this.maxScalarAliases = atLeast("maxScalarAliases", aliases, 0);
      return this;
    }

    public Builder maxValues(int values) {
      this.maxValues = atLeast("maxValues", values, 1);
      return this;
    }

    /** Unless set, four times {@code maxDocumentBytes}. */
    public Builder maxExpandedBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxExpandedBytes must be >= 1 but was " + bytes);
      }
      this.maxExpandedBytes = bytes;
      return this;
    }

    public Builder maxNumberDigits(int digits) {
      this.maxNumberDigits = atLeast("maxNumberDigits", digits, 1);
      return this;
    }

    /**
     * The limits.
     *
     * @throws IllegalStateException when {@code maxExpandedBytes} was set below {@code
     *     maxDocumentBytes} (a document without aliases could then fail it)
     */
    public ParseLimits build() {
      if (maxExpandedBytes > 0 && maxExpandedBytes < maxDocumentBytes) {
        throw new IllegalStateException(
            "maxExpandedBytes ("
                + maxExpandedBytes
                + ") must be >= maxDocumentBytes ("
                + maxDocumentBytes
                + ")");
      }
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
