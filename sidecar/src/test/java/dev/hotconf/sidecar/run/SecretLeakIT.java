package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review test: plants ~100 distinctive secret values (a Consul ACL token, the server's
 * bearer token, values under password/secret/token/api-key/credential keys in a file and in Consul,
 * credentials and query tokens in push-target URLs), drives the real jar ({@code hotconf run},
 * {@code validate}, {@code get}, {@code diff}) through every output path with all logging at TRACE,
 * and asserts that no planted value appears in stdout, stderr, {@code /v1/status}, {@code
 * /metrics}, {@code /healthz}, {@code /readyz} or any error response, raw, URL-encoded,
 * JSON-escaped or halved.
 *
 * <p>Not scanned, because delivering the real values is their job: {@code GET /v1/config} (and
 * {@code /v1/config/KEY}), the bodies POSTed to push targets, the file target, the last-known-good
 * file, and {@code hotconf get --show-secrets}. The test checks that the planted values do reach
 * {@code /v1/config}, which shows that the scanner finds them where they are.
 *
 * <p>Runs the shaded jar (integration-test phase, after {@code package}), like {@link
 * dev.hotconf.sidecar.JarIT}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretLeakIT {
  private static final String JAR = "target/hotconf.jar";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final PlantedSecrets secrets = new PlantedSecrets();
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process sidecar;
  private Receiver receiver;
  private ConsulTestServer consul;
  private int outputCount;

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.destroyForcibly();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (consul != null) {
      consul.close();
    }
  }

  // ---------------------------------------------------------------- the sidecar

  @Test
  void theRunningSidecarNeverShowsAPlantedSecret() throws Exception {
    String consulToken = secrets.alnum("consul ACL token");
    String serverToken = secrets.alnum("server bearer token");
    consul = ConsulTestServer.builder().jitter(false).aclToken(consulToken).build().start();
    consul.put("config/app/data", consulDoc(1));
    receiver = new Receiver();
    Files.writeString(dir.resolve("consul.token"), consulToken + "\n");
    Files.writeString(dir.resolve("hotconf.token"), serverToken + "\n");
    Files.writeString(dir.resolve("schema.json"), schema());
    Files.createDirectories(dir.resolve("config"));
    write(appDoc(1));
    Files.writeString(dir.resolve("sidecar.yaml"), sidecarYaml());
    Files.writeString(
        dir.resolve("jul.properties"),
        "handlers=java.util.logging.ConsoleHandler\n.level=ALL\njava.util.logging.ConsoleHandler.level=ALL\n"
            + "jdk.event.security.level=INFO\n"); // not every trusted CA certificate (FINE)

    Output out = new Output();
    Output err = new Output();
    sidecar =
        new ProcessBuilder(
                java(
                    List.of(
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                        "-Dorg.slf4j.simpleLogger.log.com.networknt=trace",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.http=trace",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.http.wire=trace",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.http.headers=trace",
                        "-Djava.util.logging.config.file=" + dir.resolve("jul.properties")),
                    "run",
                    "-c",
                    dir.resolve("sidecar.yaml").toString()))
            .start();
    out.drain(sidecar.getInputStream());
    err.drain(sidecar.getErrorStream());
    Matcher serving =
        Pattern.compile("serving version 1 on (http://127\\.0\\.0\\.1:\\d+)").matcher("");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              assertThat(sidecar.isAlive()).as("the sidecar exited: %s", err.text()).isTrue();
              return serving.reset(out.text()).find();
            });
    Api api = new Api(serving.group(1), serverToken);

    // version 1 reaches the targets; /v1/config delivers the real values (that is its job)
    await().until(() -> receiver.delivered().contains(1L));
    String config = api.get("/v1/config").body();
    assertThat(secrets.findIn("/v1/config", config))
        .as("the scanner sees the values where they are delivered")
        .hasSizeGreaterThanOrEqualTo(12);
    assertThat(api.get("/v1/config/db.password").body())
        .isEqualTo("\"" + secrets.value("enum password 1") + "\"");

    consulFaults(api);
    fileSyntaxErrors(api);
    schemaViolations(api);
    pushFailuresAndANewVersion(api);
    endpointsAndErrors(api, serverToken);

    sidecar.destroy(); // SIGTERM: the shutdown messages are scanned too
    assertThat(sidecar.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(sidecar.exitValue()).isZero();
    collect("sidecar stdout", out.text());
    collect("sidecar stderr", err.text());

    // every path was really taken (so the absence of secrets below means something)
    assertThat(err.text())
        .contains(
            "Consul answered 500",
            "Consul answered 403",
            "is not the expected JSON",
            "HTTP 503 from",
            "ConnectException",
            "rejected a new configuration",
            "is not one of",
            "is not the required value",
            "does not match the pattern",
            "smtp.dsn: 'mysql://<redacted>@mail.internal/x?password=<redacted>' does not match",
            "tls.key: <redacted> does not match the pattern",
            "card.pin: <redacted> does not match the pattern",
            "billing.iban: <redacted> does not match the pattern",
            "is above the maximum",
            "is below the minimum",
            "is longer than",
            " DEBUG org.apache.http",
            " TRACE ",
            // java.util.logging at ALL (the sidecar's own HTTP server logs through SLF4J,
            // consul-api logs its requests at FINEST)
            "FINEST: ");
    assertNoLeaks(99);
  }

  private void consulFaults(Api api) throws Exception {
    // The watcher has read once and waits in a blocking query. Rotate a wrong token into the token
    // file and queue a 500 and a garbage 200 that both echo the token sent (as a proxy might); then
    // make the blocking query return a document with a syntax error on a line holding a secret. The
    // next reads get the 500, the garbage, then a real 403 from the ACL check (wrong token).
    await().until(() -> consul.blockedQueryCount() > 0);
    String wrongToken = secrets.alnum("wrong consul token");
    replace(dir.resolve("consul.token"), wrongToken + "\n");
    consul.enqueue(Fault.status(500, "rpc error making call: token " + wrongToken + " invalid"));
    consul.enqueue(
        Fault.garbageBody(
            "<html>proxy error for X-Consul-Token: " + wrongToken + "</html>{\"Key\":"));
    consul.put(
        "config/app/data",
        "consul:\n  token: \""
            + secrets.text("consul token, broken doc")
            + "\"\n  db-password: \""
            + secrets.text("consul db-password, broken line")
            + "\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status().toString().contains("Consul answered 403"));
    consul.put("config/app/data", consulDoc(2));
    replace(dir.resolve("consul.token"), secrets.value("consul ACL token") + "\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/v1/config/consul.token")
                    .body()
                    .equals("\"" + secrets.value("consul token v2") + "\""));
  }

  private void fileSyntaxErrors(Api api) throws Exception {
    List<Function<String, String>> brokenLines =
        List.of(
            s -> "  password: \"" + s + "\n", // unclosed double quote
            s -> "  password: '" + s + "\n", // unclosed single quote
            s -> "  password: " + s + ": x\n", // mapping values not allowed here
            s -> "  password: [" + s + ",\n", // unclosed flow sequence
            s -> "  password: {" + s + ": 1\n", // unclosed flow mapping
            s -> "  password: *" + s + "\n", // undefined alias
            s -> "  iban: *" + s + "\n", // undefined alias under a key secret by redact:
            s -> "  pin: !" + s + " x\n", // unknown tag under a key secret by redact:
            s -> "  password: !" + s + " x\n", // unknown tag
            s -> "  password: !!" + s + " x\n", // unknown secondary tag
            s ->
                "  password: &"
                    + s
                    + " x\n  passwd: *"
                    + s
                    + "x\n", // anchor, then an undefined alias
            s -> "  password: \"" + s + "\\q\"\n", // unknown escape
            s -> "  password: \"" + s + "\\xZZ\"\n", // bad hex escape
            s -> "  password: \"" + s + "\\u12\"\n", // short unicode escape
            s -> "\tpassword: " + s + "\n", // a tab
            s -> "  password: " + s + "\n    x: 1\n", // bad indentation
            s -> "  password: " + s + "\n  password: " + s + "\n", // duplicate key
            s -> "  password: " + s + "\n---\nb: 1\n", // a second document
            s -> "  password: @" + s + "\n", // reserved indicator
            s -> "  password: `" + s + "\n", // reserved indicator
            s -> "  password: " + s + "\u0000\n", // NUL
            s -> "  password: |\n  " + s + "\n", // block scalar less indented
            s -> "  password: >-2\n" + s + "\n", // bad block indentation indicator
            s -> "  password: ? " + s + "\n  : x\n"); // a complex key
    int i = 0;
    for (Function<String, String> line : brokenLines) {
      String secret = secrets.alnum("broken YAML line " + i++);
      long failures = api.counter("sourceFailures");
      write("db:\n  url: jdbc:x\n" + line.apply(secret) + "plain: 1\n");
      await().until(() -> api.counter("sourceFailures") > failures);
    }
    // invalid UTF-8 inside a secret
    long failures = api.counter("sourceFailures");
    byte[] head =
        ("db:\n  password: " + secrets.alnum("broken UTF-8 line")).getBytes(StandardCharsets.UTF_8);
    byte[] doc = new byte[head.length + 2];
    System.arraycopy(head, 0, doc, 0, head.length);
    doc[head.length] = (byte) 0xC3;
    doc[head.length + 1] = '\n';
    writeBytes(doc);
    await().until(() -> api.counter("sourceFailures") > failures);
    write(appDoc(1));
    await()
        .until(
            () ->
                !api.status().path("rejecting").asBoolean()
                    && api.status().path("sources").get(0).path("state").asText().equals("ok"));
  }

  private void schemaViolations(Api api) throws Exception {
    long rejections = api.counter("rejections");
    write(
        String.join(
            "\n",
            "db:",
            "  password: \"" + secrets.text("password not in enum") + "\"",
            "  passwd: \"" + secrets.text("passwd not the const") + "\"",
            "auth:",
            "  client-secret: \"" + secrets.text("client-secret not matching the pattern") + "\"",
            "  api-key: \""
                + secrets.text("api-key too long, part 1")
                + secrets.text("api-key too long, part 2")
                + "\"",
            "  apiKey: " + secrets.number("apiKey of the wrong type", '7', 15),
            "  private_key: \"" + secrets.text("private_key, not in anyOf") + "\"",
            "  secret-pin: " + secrets.number("secret-pin above the maximum", '9', 16),
            "credentials:",
            "  user: \"" + secrets.text("credentials.user, not allowed by not") + "\"",
            "tokens:",
            "  - \"" + secrets.text("tokens[0], bad pattern") + "\"",
            "secrets:",
            "  nested:",
            "    deep: " + secrets.number("secrets.nested.deep, not a multiple", '3', 15),
            "tls:",
            "  key: \"" + secrets.text("tls.key, bad pattern") + "\"",
            "ssh:",
            "  passphrase: \"" + secrets.text("ssh.passphrase, bad pattern") + "\"",
            "aws:",
            "  access_key: \"" + secrets.alnum("aws.access_key, bad pattern") + "\"",
            "card:",
            "  pin: \"" + secrets.alnum("card.pin (redact:), bad pattern") + "\"",
            "billing:",
            "  iban: \"" + secrets.alnum("billing.iban (redact:), bad pattern") + "\"",
            "smtp:",
            "  pass: \"" + secrets.text("smtp.pass, bad pattern") + "\"",
            "  dsn: \"mysql://app:"
                + secrets.alnum("smtp.dsn URL password, bad pattern")
                + "@mail.internal/x?password="
                + secrets.alnum("smtp.dsn query password, bad pattern")
                + "\"",
            ""));
    await().until(() -> api.counter("rejections") > rejections);
    long more = api.counter("rejections");
    write(
        String.join(
            "\n",
            "db:",
            "  password: " + secrets.number("password of the wrong type", '5', 15),
            "  passwd: " + secrets.number("passwd of the wrong type, const", '6', 15),
            "auth:",
            "  client-secret: \"" + secrets.lower("client-secret, fine") + "\"",
            "  api-key: \"x1\"",
            "  secret-pin: " + secrets.number("secret-pin below the minimum", '2', 14),
            ""));
    await().until(() -> api.counter("rejections") > more);
  }

  private void pushFailuresAndANewVersion(Api api) throws Exception {
    long before = api.status().path("version").asLong();
    receiver.status.set(503);
    write(appDoc(2));
    // targets 0 and 1 are the receiver (plain, and with credentials and query tokens), 2 refuses
    // connections
    await()
        .until(
            () ->
                target(api, 0).path("failures").asLong() > 0
                    && target(api, 1).path("failures").asLong() > 0
                    && target(api, 2).path("failures").asLong() > 0);
    receiver.status.set(204);
    await()
        .until(
            () ->
                target(api, 0).path("deliveredVersion").asLong() > before
                    && target(api, 1).path("deliveredVersion").asLong() > before);
    assertThat(Files.readString(dir.resolve("out/app.json")))
        .contains(secrets.value("enum password 2"));
    // the files that hold the real values are readable by the owner only
    for (String file : List.of("out/app.json", "state/app.json")) {
      assertThat(Files.getPosixFilePermissions(dir.resolve(file)))
          .as(file)
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
  }

  private static JsonNode target(Api api, int i) {
    return api.status().path("targets").get(i);
  }

  private void endpointsAndErrors(Api api, String serverToken) throws Exception {
    for (String path :
        List.of(
            "/v1/status",
            "/metrics",
            "/healthz",
            "/readyz",
            "/v1/nope",
            "/v1/config/db.nope",
            "/v1/config/db..x",
            "/v1/config/db.password%5B",
            "/v1/config?version=x&wait=1s",
            "/v1/config?version=1&wait=forever")) {
      api.get(path);
    }
    api.send(
        "POST",
        "/v1/config",
        HttpRequest.BodyPublishers.ofString(secrets.text("posted body")),
        serverToken);
    api.send("DELETE", "/v1/status", HttpRequest.BodyPublishers.noBody(), serverToken);
    api.send("GET", "/v1/status", HttpRequest.BodyPublishers.noBody(), null);
    api.send(
        "GET",
        "/metrics",
        HttpRequest.BodyPublishers.noBody(),
        secrets.alnum("a wrong bearer token"));
    api.send(
        "GET", "/v1/status", HttpRequest.BodyPublishers.ofString("x".repeat(5000)), serverToken);
  }

  // ---------------------------------------------------------------- the CLI

  @Test
  void validateGetAndDiffNeverPrintAPlantedSecret() throws Exception {
    Path files = dir.resolve("files");
    Files.createDirectories(files);
    Files.writeString(dir.resolve("schema.json"), schema());
    Files.writeString(
        files.resolve("a-schema-violations.yaml"),
        String.join(
            "\n",
            "db:",
            "  password: \"" + secrets.text("cli password not in enum") + "\"",
            "  passwd: \"" + secrets.text("cli passwd not the const") + "\"",
            "auth:",
            "  client-secret: \"" + secrets.text("cli client-secret bad pattern") + "\"",
            "  secret-pin: " + secrets.number("cli secret-pin above max", '9', 16),
            "  private_key: \"" + secrets.text("cli private_key not in anyOf") + "\"",
            "tls:",
            "  key: \"" + secrets.text("cli tls.key bad pattern") + "\"",
            "ssh:",
            "  passphrase: \"" + secrets.text("cli ssh.passphrase bad pattern") + "\"",
            "aws:",
            "  access_key: \"" + secrets.alnum("cli aws.access_key bad pattern") + "\"",
            "smtp:",
            "  pass: \"" + secrets.text("cli smtp.pass bad pattern") + "\"",
            "  dsn: \"mysql://app:" + secrets.alnum("cli smtp.dsn bad pattern") + "@h/x\"",
            "card:",
            "  pin: \"" + secrets.alnum("cli card.pin (--redact) bad pattern") + "\"",
            ""));
    Files.writeString(
        files.resolve("b-unclosed.yaml"),
        "db:\n  password: \"" + secrets.text("cli unclosed quote") + "\n");
    Files.writeString(
        files.resolve("c-alias.yaml"),
        "db:\n  password: *" + secrets.alnum("cli undefined alias") + "\n");
    Files.writeString(
        files.resolve("d-tag.yaml"),
        "db:\n  password: !" + secrets.alnum("cli unknown tag") + " x\n");
    Files.writeString(
        files.resolve("e-bad.json"),
        "{\"db\": {\"password\": " + secrets.alnum("cli json bare word") + "}}\n");
    Files.writeString(
        files.resolve("f-bad.json"),
        "{\"db\": {\"password\": \"" + secrets.alnum("cli json unclosed") + "}}\n");
    Files.writeString(
        files.resolve("g-bad.json"),
        "{\"db\": {\"password\": \""
            + secrets.alnum("cli json bad escape")
            + "\\q\", \"password\": 1}}\n");
    Files.writeString(
        files.resolve("h-bad.properties"),
        "db.password=" + secrets.alnum("cli properties bad escape") + "\\u12zz\ndb.password=x\n");
    Files.writeString(
        files.resolve("i-mapping.yaml"),
        "db:\n  password: " + secrets.alnum("cli mapping value") + ": x\n");
    for (String format : List.of("text", "json", "github")) {
      collectRun(
          "validate " + format,
          1,
          "validate",
          "--strict",
          "--redact",
          "(^|\\.)pin$",
          "--format",
          format,
          "--schema",
          dir.resolve("schema.json").toString(),
          files.toString());
    }

    Path before = dir.resolve("before.yaml");
    Path after = dir.resolve("after.yaml");
    Files.writeString(
        before,
        String.join(
            "\n",
            "db:",
            "  password: \"" + secrets.text("diff password before") + "\"",
            "  removed-token: \"" + secrets.text("diff removed token") + "\"",
            "auth:",
            "  api-key: \"" + secrets.text("diff api-key, auth becomes a scalar") + "\"",
            "credentials: [\"" + secrets.text("diff credentials list before") + "\"]",
            "tls: {key: \"" + secrets.text("diff tls.key before") + "\"}",
            "ssh: {passphrase: \"" + secrets.text("diff passphrase before") + "\"}",
            "aws: {access_key: \"" + secrets.alnum("diff aws.access_key before") + "\"}",
            "db2: {dsn: \"postgres://app:" + secrets.alnum("diff dsn before") + "@h/db\"}",
            "billing: {iban: \"" + secrets.alnum("diff iban (--redact) before") + "\"}",
            ""));
    Files.writeString(
        after,
        String.join(
            "\n",
            "db:",
            "  password: \"" + secrets.text("diff password after") + "\"",
            "  added-secret: \"" + secrets.text("diff added secret") + "\"",
            "auth: 1",
            "credentials: {user: \"" + secrets.text("diff credentials object after") + "\"}",
            "tls: {key: \"" + secrets.text("diff tls.key after") + "\"}",
            "ssh: {passphrase: \"" + secrets.text("diff passphrase after") + "\"}",
            "aws: {access_key: \"" + secrets.alnum("diff aws.access_key after") + "\"}",
            "db2: {dsn: \"postgres://app:" + secrets.alnum("diff dsn after") + "@h/db2\"}",
            "billing: {iban: \"" + secrets.alnum("diff iban (--redact) after") + "\"}",
            ""));
    collectRun("diff", 1, "diff", "--redact", "iban", before.toString(), after.toString());
    collectRun("get db", 0, "get", "--explain", before.toString(), "db");
    collectRun("get db.password", 0, "get", "--explain", after.toString(), "db.password");
    collectRun("get root", 0, "get", after.toString(), "credentials");
    collectRun("get new kinds", 0, "get", "--explain", after.toString(), "tls");
    collectRun("get a dsn", 0, "get", after.toString(), "db2");
    collectRun("get missing", 1, "get", after.toString(), "db.password.x");
    assertThat(run("get", "--show-secrets", after.toString(), "db.password").out())
        .as("--show-secrets prints the value (and is not scanned)")
        .contains(secrets.value("diff password after"));

    // the sidecar's own config: a broken line holding a literal Consul token
    Path bad = dir.resolve("bad-sidecar.yaml");
    Files.writeString(
        bad,
        "sources:\n  - type: consul\n    key: a\n    token: \""
            + secrets.alnum("sidecar.yaml literal token")
            + "\n");
    collectRun("run with a broken sidecar.yaml", 2, "run", "-c", bad.toString());
    assertNoLeaks(41);
    assertThat(outputs.get("validate text"))
        .contains("is not one of", "is not the required value", "does not match the pattern")
        .contains("smtp.dsn: 'mysql://<redacted>@h/x' does not match the pattern ^postgres://");
    assertThat(outputs.get("diff"))
        .contains("~ db2.dsn: 'postgres://<redacted>@h/db' -> ")
        .contains("~ billing.iban: <redacted> -> <redacted>");
    assertThat(outputs.get("validate text")).contains("card.pin: <redacted> does not match");
  }

  @Test
  void aNonLoopbackListenIsRefusedWithoutATokenOrInsecureBind() throws Exception {
    Files.writeString(dir.resolve("app.yaml"), "a: 1\n");
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: app.yaml\nserver:\n  listen: 0.0.0.0:0\n");
    Run r = run("run", "-c", dir.resolve("sidecar.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("refusing to serve 0.0.0.0", "--insecure-bind");
  }

  // ---------------------------------------------------------------- documents

  private String appDoc(int v) {
    return String.join(
        "\n",
        "db:",
        "  url: \"jdbc:postgresql://127.0.0.1/app\"",
        "  password: \"" + secrets.value("enum password " + v) + "\"",
        "  passwd: \"" + secrets.value("const passwd") + "\"",
        "  pool:",
        "    max: " + (9 + v),
        "auth:",
        "  client-secret: \"" + secrets.lower("auth.client-secret v" + v) + "\"",
        "  api-key: \"" + secrets.text("auth.api-key v" + v) + "\"",
        "  apiKey: \"" + secrets.text("auth.apiKey v" + v) + "\"",
        "  private_key: \"" + secrets.value("anyOf private_key 1") + "\"",
        "  secret-pin: " + secrets.number("auth.secret-pin v" + v, '4', 16),
        "credentials:",
        "  user: \"" + secrets.text("credentials.user v" + v) + "\"",
        "tokens:",
        "  - \"t-" + secrets.text("tokens[0] v" + v) + "\"",
        "secrets:",
        "  nested:",
        "    deep: \"" + secrets.text("secrets.nested.deep v" + v) + "\"",
        "legacy:",
        "  PASSWORD: \"" + secrets.text("legacy.PASSWORD v" + v) + "\"",
        "tls:",
        "  key: \"ok-" + secrets.text("tls.key v" + v) + "\"",
        "ssh:",
        "  passphrase: \"ok-" + secrets.text("ssh.passphrase v" + v) + "\"",
        "aws:",
        "  access_key: \"ok-" + secrets.alnum("aws.access_key v" + v) + "\"",
        "card:",
        "  pin: \"ok-" + secrets.alnum("card.pin (redact:) v" + v) + "\"",
        "billing:",
        "  iban: \"ok-" + secrets.alnum("billing.iban (redact:) v" + v) + "\"",
        "smtp:",
        "  pass: \"ok-" + secrets.text("smtp.pass v" + v) + "\"",
        "  dsn: \"postgres://app:"
            + secrets.alnum("smtp.dsn URL password v" + v)
            + "@mail.internal/app\"",
        "plain:",
        "  note: not a secret",
        "");
  }

  private String consulDoc(int v) {
    return String.join(
        "\n",
        "consul:",
        "  token: \"" + secrets.text("consul token v" + v) + "\"",
        "  db-password: \"" + secrets.text("consul db-password v" + v) + "\"",
        "  service:",
        "    api_key: \"" + secrets.text("consul service api_key v" + v) + "\"",
        "db:",
        "  pool:",
        "    max: 20",
        "");
  }

  /** Enum and const values of secret keys are secrets too: a valid value is one of them. */
  private String schema() {
    String e1 = secrets.text("enum password 1");
    String e2 = secrets.text("enum password 2");
    String c = secrets.text("const passwd");
    String a1 = secrets.text("anyOf private_key 1");
    String a2 = secrets.text("anyOf private_key 2");
    String n = secrets.text("not credentials.user");
    return """
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {
           "db": {"type": "object", "properties": {
             "url": {"type": "string"},
             "password": {"type": "string", "enum": ["E1", "E2", "%E1", "%E2", "E1x"]},
             "passwd": {"const": "C"},
             "pool": {"type": "object", "properties": {"max": {"type": "integer", "maximum": 500}}}}},
           "auth": {"type": "object", "properties": {
             "client-secret": {"type": "string", "pattern": "^[a-z]+$"},
             "api-key": {"type": "string", "minLength": 8, "maxLength": 30},
             "apiKey": {"type": "string"},
             "private_key": {"anyOf": [{"const": "A1"}, {"const": "A2"}]},
             "secret-pin": {"type": "integer", "minimum": 1000000000000000, "maximum": 8999999999999999}}},
           "credentials": {"type": "object", "properties": {"user": {"not": {"const": "N"}}}},
           "tokens": {"type": "array", "items": {"type": "string", "pattern": "^t-"}},
           "secrets": {"type": "object", "properties": {"nested": {"type": "object", "properties": {
             "deep": {"type": ["string", "integer"], "multipleOf": 7}}}}},
           "tls": {"type": "object", "properties": {"key": {"type": "string", "pattern": "^ok-"}}},
           "card": {"type": "object", "properties": {"pin": {"pattern": "^ok-"}}},
           "billing": {"type": "object", "properties": {"iban": {"pattern": "^ok-"}}},
           "ssh": {"type": "object", "properties": {"passphrase": {"pattern": "^ok-"}}},
           "aws": {"type": "object", "properties": {"access_key": {"pattern": "^ok-"}}},
           "smtp": {"type": "object", "properties": {
             "pass": {"pattern": "^ok-"}, "dsn": {"type": "string", "pattern": "^postgres://"}}},
           "legacy": {"type": "object"}, "plain": {"type": "object"}, "consul": {"type": "object"}}}
        """
        .replace("\"E1\", \"E2\", \"%E1\", \"%E2\", \"E1x\"", quoted(e1) + ", " + quoted(e2))
        .replace("\"C\"", quoted(c))
        .replace("\"A1\"", quoted(a1))
        .replace("\"A2\"", quoted(a2))
        .replace("\"N\"", quoted(n));
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private String sidecarYaml() throws IOException {
    int refused;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      refused = s.getLocalPort(); // closed again: connections are refused
    }
    String receiverHost = receiver.url().substring("http://".length());
    String user = secrets.alnum("URL user");
    String password = secrets.text("URL password");
    return String.join(
        "\n",
        "sources:",
        "  - type: file",
        "    path: config/app.yaml",
        "    debounce: 20ms",
        "  - type: consul",
        "    address: " + consul.url(),
        "    key: config/app/data",
        "    token-file: consul.token",
        "    wait: 60s",
        "schema: schema.json",
        "server:",
        "  listen: 127.0.0.1:0",
        "  token-file: hotconf.token",
        "targets:",
        "  - url: " + receiver.url(),
        "    max-backoff: 100ms",
        "  - url: http://"
            + user
            + ":"
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "@"
            + receiverHost
            + "?token="
            + URLEncoder.encode(secrets.text("URL query token"), StandardCharsets.UTF_8)
            + "&sig="
            + secrets.alnum("URL query sig"),
        "    max-backoff: 100ms",
        "  - url: http://127.0.0.1:"
            + refused
            + "/hook?api_key="
            + secrets.alnum("refused URL api_key"),
        "    max-backoff: 200ms",
        // a webhook whose secret is its path, shown as /<redacted>
        "  - url: " + receiver.url() + "/" + secrets.alnum("URL path secret"),
        "    max-backoff: 100ms",
        "    redact-path: true",
        "  - file: out/app.json",
        "last-known-good: state/app.json",
        "redact:",
        "  - '(^|\\.)pin$'",
        "  - iban",
        "start-timeout: 20s",
        "shutdown-grace: 2s",
        "");
  }

  // ---------------------------------------------------------------- plumbing

  private void write(String yaml) throws IOException {
    writeBytes(yaml.getBytes(StandardCharsets.UTF_8));
  }

  private void writeBytes(byte[] content) throws IOException {
    Path tmp = dir.resolve("config/.app.yaml.tmp");
    Files.write(tmp, content);
    Files.move(
        tmp,
        dir.resolve("config/app.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void collect(String where, String text) {
    outputs.put(where + " #" + outputCount++, text);
  }

  private void assertNoLeaks(int planted) {
    assertThat(secrets.size()).isGreaterThanOrEqualTo(planted);
    Map<String, String> leaks = new LinkedHashMap<>(); // the first place each secret was seen
    outputs.forEach(
        (where, text) ->
            secrets
                .findIn(where, text)
                .forEach(f -> leaks.putIfAbsent(f.substring(0, f.indexOf(" (as ")), f)));
    assertThat(leaks.values()).as("planted secrets found in %d outputs", outputs.size()).isEmpty();
  }

  private static List<String> java(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(JAR);
    cmd.addAll(List.of(args));
    return cmd;
  }

  record Run(int code, String out, String err) {}

  private static Run run(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(java(List.of(), args)).start();
    p.getOutputStream().close();
    Output out = new Output();
    Output err = new Output();
    out.drain(p.getInputStream());
    err.drain(p.getErrorStream());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.await(), err.await());
  }

  private void collectRun(String what, int expectedCode, String... args) throws Exception {
    Run r = run(args);
    outputs.put(what, r.out() + r.err());
    assertThat(r.code()).as(what + ": " + r.err()).isEqualTo(expectedCode);
  }

  /** Drains a process stream on a daemon thread. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Thread thread;

    void drain(InputStream in) {
      thread =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try (in) {
                  for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (bytes) {
                      bytes.write(buf, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              },
              "drain");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    String await() throws InterruptedException {
      thread.join(10_000);
      return text();
    }
  }

  /** The sidecar's HTTP API; every answer but /v1/config's is collected for the scan. */
  private final class Api {
    private final String base;
    private final String token;

    Api(String base, String token) {
      this.base = base;
      this.token = token;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send("GET", path, HttpRequest.BodyPublishers.noBody(), token);
    }

    HttpResponse<String> send(
        String method, String path, HttpRequest.BodyPublisher body, String bearer)
        throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body);
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      // /v1/config delivers the real values by design: not scanned
      if (!(path.startsWith("/v1/config") && r.statusCode() == 200)) {
        collect(method + " " + path, r.statusCode() + " " + r.headers().map() + "\n" + r.body());
      }
      return r;
    }

    JsonNode status() {
      try {
        return JSON.readTree(get("/v1/status").body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    long counter(String name) {
      return status().path("counters").path(name).asLong();
    }
  }
}
