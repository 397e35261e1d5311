package dev.hotconf.consul;

import dev.hotconf.ConfigObject;
import dev.hotconf.consul.internal.Durations;
import dev.hotconf.consul.internal.TokenProvider;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.source.SourceContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The immutable settings of a {@link ConsulSource}. Create one with {@link #key(String)} (a single
 * key holding a YAML, JSON or properties document) or {@link #prefix(String)} (every key under a
 * prefix becomes a dotted key), adjust it with the {@link Builder}, whose methods check their
 * arguments when called, and {@link Builder#build()} it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>address</td><td>{@code http://127.0.0.1:8500} (the local agent)</td></tr>
 *   <tr><td>format (key shape)</td><td>by the key's extension ({@code .yaml .yml .json .properties}), else YAML</td></tr>
 *   <tr><td>wait</td><td>60 s per blocking query (1 s to 10 m, whole seconds)</td></tr>
 *   <tr><td>consistency</td><td>{@link ConsistencyMode#DEFAULT}</td></tr>
 *   <tr><td>datacenter</td><td>the agent's own</td></tr>
 *   <tr><td>missing key / empty prefix</td><td>{@link MissingPolicy#KEEP_LAST_GOOD}</td></tr>
 *   <tr><td>token</td><td>none (Consul's anonymous token)</td></tr>
 *   <tr><td>TLS</td><td>for {@code https://} addresses: the system trust store, no client certificate</td></tr>
 *   <tr><td>connect timeout</td><td>10 s</td></tr>
 *   <tr><td>read timeout</td><td>{@code wait + wait/16 + 15 s} = 78.75 s (Consul adds up to wait/16 of jitter)</td></tr>
 *   <tr><td>retry backoff</td><td>ceiling 1 s growing 1.5x per retry up to 20 s, each wait drawn from [ceiling/2, ceiling], forever</td></tr>
 *   <tr><td>rate limit</td><td>token bucket: burst 3, one token per second</td></tr>
 *   <tr><td>parse limits</td><td>{@link ParseLimits#defaults()}, for a key's document and for a prefix's tree</td></tr>
 *   <tr><td>name</td><td>{@code consul:<key>} or {@code consul:<prefix>/}</td></tr>
 * </table>
 *
 * <p>Why these defaults (the module README has the arithmetic): an isolated edit is read by a
 * parked blocking query at once; under churn a client reads about once a second and the newest
 * write is live within about a second after the writes stop; a server that accepts a request and
 * never answers is given up after 78.75 s and retried within 80 s; after an outage the first retry
 * past its end sees the pending change (about 2 s median after 15 s down), and a long outage costs
 * one request per 10-20 s.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the token, the key-store password
 * or anything of an address that could carry credentials.
 */
public final class ConsulSourceConfig {
  /** The default address: the local agent's HTTP port. */
  public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8500";

  /**
   * The default blocking wait: 60 s, like consul-template (Spring Cloud Consul: 55 s). It bounds
   * how long a server that never answers holds the source (read timeout {@code wait + wait/16 + 15
   * s}); Consul's own default is 5 m.
   */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  /** The shortest wait accepted. */
  public static final Duration MIN_WAIT = Duration.ofSeconds(1);

  /** Consul's maximum wait. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Added to {@code wait + wait/16} to make the read timeout. */
  public static final Duration DEFAULT_READ_TIMEOUT_MARGIN = Duration.ofSeconds(15);

  /** The first retry waits between half of this and this. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  /** The ceiling the retry wait grows to; at the cap each wait is between half of it and it. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);

  /** Reads that may go back to back (an operator's quick edits stay instant). */
  public static final int DEFAULT_RATE_LIMIT_BURST = 3;

  /** One more read per this period under churn: about one read a second per client. */
  public static final Duration DEFAULT_RATE_LIMIT_REFILL = Duration.ofSeconds(1);

  /** Whether the source reads one key (a document) or a prefix (one value per key). */
  public enum Shape {
    /** One key whose value is a whole document. */
    KEY,
    /** Every key under a prefix; {@code <prefix>db/pool/size} becomes {@code db.pool.size}. */
    PREFIX
  }

  private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9_./-]+");
  private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Shape shape;
  private final String path;
  private final URI address;
  private final ConfigFormat format;
  private final Duration wait;
  private final ConsistencyMode consistency;
  private final String datacenter;
  private final MissingPolicy missingPolicy;
  private final Credentials credentials;
  private final Duration connectTimeout;
  private final Duration readTimeoutMargin;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int rateLimitBurst;
  private final Duration rateLimitRefill;
  private final ParseLimits parseLimits;
  private final String name;

  private ConsulSourceConfig(Builder b) {
    this.shape = b.shape;
    this.path = b.path;
    this.address = b.address;
    this.format =
        b.shape == Shape.KEY
            ? (b.format != null
                ? b.format
                : ConfigFormat.forFileName(b.path).orElse(ConfigFormat.YAML))
            : null;
    this.wait = b.wait;
    this.consistency = b.consistency;
    this.datacenter = b.datacenter;
    this.missingPolicy = b.missingPolicy;
    this.credentials = b.credentials.build();
    this.connectTimeout = b.connectTimeout;
    this.readTimeoutMargin = b.readTimeoutMargin;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.rateLimitBurst = b.rateLimitBurst;
    this.rateLimitRefill = b.rateLimitRefill;
    this.parseLimits = b.parseLimits;
    this.name = b.name != null ? b.name : "consul:" + b.path;
  }

  /** A copy reading another single key (see {@link #withKey}). */
  private ConsulSourceConfig(
      ConsulSourceConfig base, String key, ConfigFormat format, String name) {
    this.shape = Shape.KEY;
    this.path = key;
    this.address = base.address;
    this.format = format;
    this.wait = base.wait;
    this.consistency = base.consistency;
    this.datacenter = base.datacenter;
    this.missingPolicy = MissingPolicy.KEEP_LAST_GOOD;
    this.credentials = base.credentials;
    this.connectTimeout = base.connectTimeout;
    this.readTimeoutMargin = base.readTimeoutMargin;
    this.initialBackoff = base.initialBackoff;
    this.maxBackoff = base.maxBackoff;
    this.rateLimitBurst = base.rateLimitBurst;
    this.rateLimitRefill = base.rateLimitRefill;
    this.parseLimits = base.parseLimits;
    this.name = name;
  }

  /**
   * These settings (agent, token, TLS, wait, consistency, datacenter, timeouts, backoff, rate
   * limit, parse limits) for another single key, read as {@code format} and named {@code name},
   * reporting a missing key ({@link MissingPolicy#KEEP_LAST_GOOD}): how a staged-rollout source
   * watches the candidate and the rollout record that go with its key.
   *
   * @throws IllegalArgumentException for a key {@link #key(String)} refuses
   */
  public ConsulSourceConfig withKey(String key, ConfigFormat format, String name) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(name, "name");
    key(key); // checks the key
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return new ConsulSourceConfig(this, key, format, name);
  }

  /**
   * A source reading the single key {@code key}, whose value is a document (e.g. {@code
   * config/app/data}, or {@code config/app/app.yaml} to imply the format).
   *
   * @throws IllegalArgumentException for an empty key, a key ending with {@code /} (a folder) or
   *     one with characters outside {@code [A-Za-z0-9_./-]}; the message starts with {@code key: }
   */
  public static Builder key(String key) {
    Objects.requireNonNull(key, "key");
    checkKey(key, "key");
    if (key.endsWith("/")) {
      throw invalid(
          "key",
          "must not end with '/' (that is a folder; use prefix(\""
              + key
              + "\") to read the keys under it) but was '"
              + key
              + "'");
    }
    return new Builder(Shape.KEY, key);
  }

  /**
   * A source reading every key under {@code prefix} ({@code config/app} and {@code config/app/} are
   * the same: a {@code /} is appended when missing so that {@code config/application/x} is not
   * included). Each key maps to a dotted key ({@code config/app/db/pool/size} to {@code
   * db.pool.size}), each value is a scalar typed like plain YAML; folder keys ending with {@code /}
   * are ignored.
   *
   * @throws IllegalArgumentException as {@link #key(String)} does; the message starts with {@code
   *     prefix: }
   */
  public static Builder prefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    checkKey(prefix, "prefix");
    return new Builder(Shape.PREFIX, prefix.endsWith("/") ? prefix : prefix + "/");
  }

  /**
   * A config read from settings, e.g. a {@code type: consul} entry of {@code sidecar.yaml}: {@code
   * key} or {@code prefix} (exactly one), {@code address}, {@code format} ({@code yaml}, {@code
   * json}, {@code properties}), {@code token}, {@code token-file} or {@code token-env}, {@code
   * wait}, {@code consistency} ({@code default}, {@code stale}, {@code consistent}), {@code
   * datacenter}, {@code ca-file}, {@code deleted-means-empty}, {@code rate-limit-burst}, {@code
   * rate-limit-refill} (and {@code type: consul}). Unknown keys, wrong types and every value the
   * {@link Builder} rejects are problems at that value's line:col; absent keys keep the builder's
   * defaults.
   *
   * @param key where {@code settings} is (e.g. {@code sources[1]}), for the problems' keys
   * @throws dev.hotconf.ConfigException listing every problem
   */
  public static ConsulSourceConfig from(ConfigObject settings, String key) {
    return ConsulSourceSettings.read(settings, SourceContext.of(key));
  }

  private static void checkKey(String key, String what) {
    if (key.isEmpty()) {
      throw invalid(what, "must not be empty");
    }
    if (key.startsWith("/")) {
      throw invalid(what, "must not start with '/' but was '" + key + "'");
    }
    if (!KEY_CHARS.matcher(key).matches()) {
      // the key is not echoed: a mistyped key could hold anything, a pasted token included
      int bad = 0;
      while (bad < key.length() && KEY_CHARS.matcher(key.substring(bad, bad + 1)).matches()) {
        bad++;
      }
      throw invalid(
          what,
          "may only contain letters, digits and _ . / - (character "
              + (bad + 1)
              + " is not one of them)");
    }
    if (key.contains("//")) {
      throw invalid(what, "must not contain '//' but was '" + key + "'");
    }
  }

  /**
   * The exception every check throws: its message starts with {@code key}, the builder method (or
   * {@code method.parameter}) whose argument is wrong, then {@code ": "} and the reason.
   */
  static IllegalArgumentException invalid(String key, String reason) {
    return new IllegalArgumentException(key + ": " + reason);
  }

  private static IllegalArgumentException invalid(String key, IllegalArgumentException cause) {
    return new IllegalArgumentException(key + ": " + cause.getMessage(), cause);
  }

  public Shape shape() {
    return shape;
  }

  /** The key (shape KEY) or the prefix, ending with {@code /} (shape PREFIX). */
  public String path() {
    return path;
  }

  /** The agent's base URI, with an explicit port. */
  public URI address() {
    return address;
  }

  /** The document format (shape KEY only). */
  public Optional<ConfigFormat> format() {
    return Optional.ofNullable(format);
  }

  public Duration waitTime() {
    return wait;
  }

  public ConsistencyMode consistency() {
    return consistency;
  }

  public Optional<String> datacenter() {
    return Optional.ofNullable(datacenter);
  }

  public MissingPolicy missingPolicy() {
    return missingPolicy;
  }

  /** Whether requests carry an ACL token (the token itself is not exposed). */
  public boolean hasToken() {
    return credentials.hasToken();
  }

  public boolean usesTls() {
    return "https".equals(address.getScheme());
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The socket read timeout: {@code wait + wait/16 + margin}, so a blocking query never trips it.
   */
  public Duration readTimeout() {
    return wait.plus(wait.dividedBy(16)).plus(readTimeoutMargin);
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public int rateLimitBurst() {
    return rateLimitBurst;
  }

  public Duration rateLimitRefill() {
    return rateLimitRefill;
  }

  /**
   * The limits on what Consul delivers: a key's document is parsed under them, and a prefix's tree
   * is checked against them (keys as values, keys and values in bytes, key depth) before it is
   * built.
   */
  public ParseLimits parseLimits() {
    return parseLimits;
  }

  /** The source's name, for status and logs. */
  public String name() {
    return name;
  }

  TokenProvider tokenProvider() {
    return credentials.token();
  }

  /** The token and TLS files. */
  Credentials credentials() {
    return credentials;
  }

  /** The TLS context for an https address (null for http); reads the PEM / PKCS#12 files now. */
  SSLContext sslContext() {
    if (!usesTls()) {
      return null;
    }
    return credentials.sslContext();
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("ConsulSourceConfig[")
            .append(shape == Shape.KEY ? "key=" : "prefix=")
            .append(path)
            .append(", address=")
            .append(address);
    if (format != null) {
      sb.append(", format=").append(format);
    }
    sb.append(", wait=")
        .append(Durations.format(wait))
        .append(", consistency=")
        .append(consistency);
    if (datacenter != null) {
      sb.append(", datacenter=").append(datacenter);
    }
    sb.append(", onMissing=").append(missingPolicy);
    return credentials
        .appendTo(sb)
        .append(", connectTimeout=")
        .append(Durations.format(connectTimeout))
        .append(", readTimeout=")
        .append(Durations.format(readTimeout()))
        .append(", backoff=")
        .append(Durations.format(initialBackoff))
        .append("..")
        .append(Durations.format(maxBackoff))
        .append(", rateLimit=")
        .append(rateLimitBurst)
        .append(" per ")
        .append(Durations.format(rateLimitRefill))
        .append(parseLimits == ParseLimits.defaults() ? "" : ", " + parseLimits)
        .append(", name=")
        .append(name)
        .append(']')
        .toString();
  }

  /**
   * Builds a {@link ConsulSourceConfig}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} (or {@link NullPointerException} for null) with the reason, and
   * rejects a call that contradicts an earlier one: {@link #token}, {@link #tokenFromEnv} and
   * {@link #tokenFile} exclude each other, and so do {@link #clientCertificate} and {@link
   * #clientKeyStore}. Calling the same method again replaces its earlier value.
   *
   * <p>Every {@code IllegalArgumentException} message starts with the name of the method whose
   * argument is wrong, followed by {@code .parameter} for a method that takes several ({@code
   * rateLimit.burst}, {@code rateLimit.refill}, {@code backoff.initial}, {@code backoff.max}), then
   * {@code ": "} and the reason: {@code waitTime: must be between 1s and 10m but was 11m}. A
   * configuration layer can map that first word to its own key and report the problem at the value
   * that set it. Messages never repeat a token, a password or an address (which could carry
   * credentials).
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final Shape shape;
    private final String path;
    private URI address = parseAddress(DEFAULT_ADDRESS);
    private ConfigFormat format;
    private Duration wait = DEFAULT_WAIT;
    private ConsistencyMode consistency = ConsistencyMode.DEFAULT;
    private String datacenter;
    private MissingPolicy missingPolicy = MissingPolicy.KEEP_LAST_GOOD;
    private final Credentials.Builder credentials =
        new Credentials.Builder(IllegalArgumentException::new);
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeoutMargin = DEFAULT_READ_TIMEOUT_MARGIN;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
    private Duration rateLimitRefill = DEFAULT_RATE_LIMIT_REFILL;
    private ParseLimits parseLimits = ParseLimits.defaults();
    private String name;

    private Builder(Shape shape, String path) {
      this.shape = shape;
      this.path = path;
    }

    /**
     * The agent's address: {@code host:port}, {@code host} (port 8500), or a URL {@code
     * http://host[:port][/path]} / {@code https://host[:port][/path]} (ports default to 80 and 443
     * when a scheme is given). Credentials, a query or a fragment in the URL are rejected (use
     * {@link #token}), and the address is never repeated in the message.
     */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      this.address = parseAddress(address);
      return this;
    }

    /** The document format of the key (shape KEY only). */
    public Builder format(ConfigFormat format) {
      Objects.requireNonNull(format, "format");
      if (shape != Shape.KEY) {
        throw invalid(
            "format",
            "applies to a single key, not to prefix " + path + " (whose values are scalars)");
      }
      this.format = format;
      return this;
    }

    /**
     * How long each blocking query may wait for a change: whole seconds, 1 s to 10 m (default 60
     * s). It also bounds how long a server that takes a request and never answers holds the source:
     * the read timeout is {@code wait + wait/16 + readTimeoutMargin}.
     */
    public Builder waitTime(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
        throw invalid(
            "waitTime",
            "must be between "
                + Durations.format(MIN_WAIT)
                + " and "
                + Durations.format(MAX_WAIT)
                + " but was "
                + Durations.format(wait));
      }
      if (wait.getNano() != 0) {
        throw invalid(
            "waitTime", "must be a whole number of seconds but was " + Durations.format(wait));
      }
      this.wait = wait;
      return this;
    }

    public Builder consistency(ConsistencyMode consistency) {
      this.consistency = Objects.requireNonNull(consistency, "consistency");
      return this;
    }

    /** Reads from another datacenter ({@code ?dc=}) than the agent's. */
    public Builder datacenter(String datacenter) {
      Objects.requireNonNull(datacenter, "datacenter");
      if (!DATACENTER.matcher(datacenter).matches()) {
        throw invalid(
            "datacenter",
            "may only contain letters, digits and _ . - but was '" + datacenter + "'");
      }
      this.datacenter = datacenter;
      return this;
    }

    /** What a missing key or empty prefix means (default {@link MissingPolicy#KEEP_LAST_GOOD}). */
    public Builder onMissing(MissingPolicy policy) {
      this.missingPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * An ACL token, sent as the {@code X-Consul-Token} header (never as {@code ?token=}). Excludes
     * {@link #tokenFile} and {@link #tokenFromEnv}.
     */
    public Builder token(String token) {
      credentials.token(token);
      return this;
    }

    /**
     * An ACL token read from environment variable {@code variable} (e.g. {@code
     * CONSUL_HTTP_TOKEN}), which must be set now. Excludes {@link #token} and {@link #tokenFile}.
     */
    public Builder tokenFromEnv(String variable) {
      return tokenFromEnv(variable, System::getenv);
    }

    Builder tokenFromEnv(String variable, UnaryOperator<String> env) {
      credentials.tokenFromEnv(variable, env);
      return this;
    }

    /**
     * An ACL token read from {@code file} (surrounding whitespace removed) before every request, so
     * a rotated token is picked up without a restart. The file must exist now. Excludes {@link
     * #token} and {@link #tokenFromEnv}.
     */
    public Builder tokenFile(Path file) {
      credentials.tokenFile(file);
      return this;
    }

    /**
     * Trusts the CA certificates in this PEM file instead of the system trust store (https
     * addresses). Parsed now.
     */
    public Builder caCertificate(Path pemFile) {
      credentials.caCertificate(pemFile);
      return this;
    }

    /**
     * Mutual TLS: presents this PEM certificate (chain) and PEM private key (unencrypted PKCS#8,
     * PKCS#1 RSA or SEC1 EC, the format {@code consul tls cert create} writes). Parsed now.
     * Excludes {@link #clientKeyStore}.
     */
    public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
      credentials.clientCertificate(certificatePem, privateKeyPem);
      return this;
    }

    /**
     * Mutual TLS: presents the key and certificate of this PKCS#12 key store. Read now. Excludes
     * {@link #clientCertificate}.
     */
    public Builder clientKeyStore(Path pkcs12File, char[] password) {
      credentials.clientKeyStore(pkcs12File, password);
      return this;
    }

    /** How long to wait for a TCP (and TLS) connection: more than 0, at most 5 m. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          Durations.between(timeout, "connectTimeout", Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /**
     * What the read timeout adds to {@code wait + wait/16}: 100 ms to 5 m (default 15 s). Only
     * lower it when answers come over a fast, reliable network (or in tests).
     */
    public Builder readTimeoutMargin(Duration margin) {
      this.readTimeoutMargin =
          Durations.between(
              margin, "readTimeoutMargin", Duration.ofMillis(100), Duration.ofMinutes(5));
      return this;
    }

    /**
     * Retry backoff after a failed read: the ceiling starts at {@code initial} and grows 1.5x per
     * retry up to {@code max}; each wait is drawn uniformly from {@code [ceiling/2, ceiling]}, so
     * at the cap a failing source sends one request per {@code max/2} to {@code max}. Each retry is
     * a non-blocking read, so the first one after Consul is back delivers the pending change.
     * Retries go on forever while the source is open; a success starts the next failure's ceiling
     * at {@code initial} again. {@code initial} from 1 ms to 1 m, {@code max} from {@code initial}
     * to 1 h (defaults 1 s and 20 s).
     */
    public Builder backoff(Duration initial, Duration max) {
      Duration i =
          Durations.between(
              initial, "backoff.initial", Duration.ofMillis(1), Duration.ofMinutes(1));
      Duration m = Durations.between(max, "backoff.max", Duration.ofMillis(1), Duration.ofHours(1));
      if (m.compareTo(i) < 0) {
        throw invalid(
            "backoff.max",
            "must be >= backoff.initial ("
                + Durations.format(i)
                + ") but was "
                + Durations.format(m));
      }
      this.initialBackoff = i;
      this.maxBackoff = m;
      return this;
    }

    /**
     * The loop's token bucket: {@code burst} reads (1 to 100) may go back to back, then one more
     * per {@code refill} (1 ms to 1 h). Defaults: 3 and 1 s. Under churn a client reads once per
     * {@code refill}, and the newest write is live at most one {@code refill} after the writes
     * stop; a fleet of N clients reads Consul N / {@code refill} times a second under churn (see
     * the module README to size it).
     */
    public Builder rateLimit(int burst, Duration refill) {
      if (burst < 1 || burst > 100) {
        throw invalid("rateLimit.burst", "must be between 1 and 100 but was " + burst);
      }
      this.rateLimitRefill =
          Durations.between(refill, "rateLimit.refill", Duration.ofMillis(1), Duration.ofHours(1));
      this.rateLimitBurst = burst;
      return this;
    }

    /**
     * The limits on what Consul delivers (default {@link ParseLimits#defaults()}): a key's document
     * is parsed under them; a prefix may hold at most {@code maxValues} keys, {@code
     * maxDocumentBytes} of keys and values together, and keys at most {@code maxNestingDepth}
     * segments deep. An answer over a limit is rejected like a document that does not parse.
     */
    public Builder parseLimits(ParseLimits limits) {
      this.parseLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The source's name in status and logs (default {@code consul:<key or prefix>}). */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw invalid("name", "must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException when TLS files are given for an {@code http://} address (the
     *     message starts with the TLS method that was called)
     */
    public ConsulSourceConfig build() {
      String tlsMethod = credentials.tlsMethod();
      if (tlsMethod != null && !"https".equals(address.getScheme())) {
        throw invalid(tlsMethod, "TLS files are configured but the address is not https://");
      }
      return new ConsulSourceConfig(this);
    }
  }

  /**
   * Parses an agent address. Error messages never repeat the address or any part of it but the
   * scheme: a query ({@code ?token=...}), user info or a mistyped URL can carry credentials.
   */
  static URI parseAddress(String address) {
    String text = address.strip();
    if (text.isEmpty()) {
      throw invalid("address", "must not be empty");
    }
    boolean hasScheme = text.contains("://");
    URI uri;
    try {
      uri = new URI(hasScheme ? text : "http://" + text);
    } catch (URISyntaxException e) {
      throw invalid(
          "address",
          "must be host:port or http(s)://host[:port][/path], and this is not a valid URL"
              + " (not shown: it could hold credentials)");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getHost() == null)) {
      // a registry-based authority ("user:pw@" without a host) may hold credentials too
      if (uri.getRawAuthority().contains("@")) {
        throw invalid(
            "address",
            "must not contain credentials (user:password@):"
                + " give the ACL token with token, tokenFile or tokenFromEnv");
      }
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("address", "must start with http:// or https:// (or be host:port)");
    }
    if (uri.getHost() == null) {
      throw invalid("address", "must name a host (not shown: it could hold credentials)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(
          "address",
          "must not have a query or fragment (not shown: it could hold credentials;"
              + " give the ACL token with token, tokenFile or tokenFromEnv)");
    }
    int port = uri.getPort();
    if (port < 0) {
      port = !hasScheme ? 8500 : scheme.equals("https") ? 443 : 80;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    try {
      return new URI(scheme, null, uri.getHost(), port, path.isEmpty() ? null : path, null, null);
    } catch (URISyntaxException e) {
      throw invalid("address", "is not a valid URL (not shown: it could hold credentials)");
    }
  }

  // equals/hashCode: identity (a config holds secrets and nothing needs to compare configs)
}
