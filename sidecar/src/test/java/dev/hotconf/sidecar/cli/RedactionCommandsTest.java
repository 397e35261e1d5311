package dev.hotconf.sidecar.cli;

import static dev.hotconf.sidecar.cli.Cli.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code validate}, {@code get} and {@code diff} hide: the widened default secret keys ({@code
 * tls.key}, {@code passphrase}, {@code aws.access_key}, {@code db.pass}), credentials inside URLs,
 * and keys named with {@code --redact PATTERN}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedactionCommandsTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  @Test
  void diffHidesTheWidenedDefaultsAndUrlCredentials() throws IOException {
    Path a =
        write(
            "a.yaml",
            """
            tls: {key: "-----BEGIN KEY----- aaa"}
            ssh: {passphrase: old-phrase}
            aws: {access_key: AKIAOLD}
            db: {pass: old-pass, dsn: "postgres://app:old-pw@db.internal/app"}
            cache: {key-prefix: users}
            """);
    Path b =
        write(
            "b.yaml",
            """
            tls: {key: "-----BEGIN KEY----- bbb"}
            ssh: {passphrase: new-phrase}
            aws: {access_key: AKIANEW}
            db: {pass: new-pass, dsn: "postgres://app:new-pw@db.internal/app2"}
            cache: {key-prefix: accounts}
            """);

    Cli.Result r = Cli.run("diff", a.toString(), b.toString());

    assertThat(r.outLines())
        .containsExactly(
            "~ aws.access_key: <redacted> -> <redacted>",
            "~ cache.key-prefix: 'users' -> 'accounts'",
            "~ db.dsn: 'postgres://<redacted>@db.internal/app'"
                + " -> 'postgres://<redacted>@db.internal/app2'",
            "~ db.pass: <redacted> -> <redacted>",
            "~ ssh.passphrase: <redacted> -> <redacted>",
            "~ tls.key: <redacted> -> <redacted>");
    assertThat(r.out()).doesNotContain("old-", "new-", "AKIA", "aaa", "bbb");
  }

  @Test
  void getHidesUrlCredentialsUnlessShowSecrets() throws IOException {
    Path f =
        write(
            "app.yaml",
            "db:\n  dsn: \"jdbc:mysql://db/app?user=app&password=pw1&ssl=true\"\n"
                + "  url: \"postgres://app:pw2@db.internal/app\"\n");

    assertThat(Cli.run("get", f.toString(), "db").out())
        .contains("\"jdbc:mysql://db/app?user=app&password=<redacted>&ssl=true\"")
        .contains("\"postgres://<redacted>@db.internal/app\"")
        .doesNotContain("pw1", "pw2");
    assertThat(Cli.run("get", "--show-secrets", f.toString(), "db.url").out())
        .isEqualTo("\"postgres://app:pw2@db.internal/app\"\n");
  }

  @Test
  void redactAddsPatternsToDiffGetAndValidate() throws IOException {
    Path a = write("a.yaml", "card: {pin: 1234, holder: ann}\n");
    Path b = write("b.yaml", "card: {pin: 5678, holder: bob}\n");

    assertThat(Cli.run("diff", a.toString(), b.toString()).out()).contains("1234");
    Cli.Result diff = Cli.run("diff", "--redact", "(^|\\.)pin$", a.toString(), b.toString());
    assertThat(diff.outLines())
        .containsExactly("~ card.holder: 'ann' -> 'bob'", "~ card.pin: <redacted> -> <redacted>");

    Cli.Result get = Cli.run("get", "--redact", "holder", "--redact", "pin$", a.toString(), "card");
    assertThat(get.out()).contains("\"pin\" : \"<redacted>\"", "\"holder\" : \"<redacted>\"");

    // a schema violation on a key secret by --redact does not echo the value
    Path c = write("c.yaml", "server:\n  port: 8080\n  host: \"bad host 4321\"\n");
    Cli.Result plain =
        Cli.run("validate", "--schema", corpus("schema/app.schema.yaml"), c.toString());
    assertThat(plain.out()).contains("4321");
    Cli.Result hidden =
        Cli.run(
            "validate",
            "--redact",
            "^server\\.host$",
            "--schema",
            corpus("schema/app.schema.yaml"),
            c.toString());
    assertThat(hidden.out()).contains("server.host: <redacted>").doesNotContain("4321");
  }

  @Test
  void redactAlsoHidesYamlAliasNamesInParseErrors() throws IOException {
    Path f = write("a.yaml", "card:\n  pin: *1234abcd\n");

    assertThat(Cli.run("validate", f.toString()).out()).contains("'*1234abcd'");
    Cli.Result r = Cli.run("validate", "--redact", "pin", f.toString());
    assertThat(r.outLines())
        .containsExactly(f + ":2:8: error: found undefined alias", "1 file, 1 invalid, 1 problem");
  }

  @Test
  void aMalformedPatternIsAUsageError() throws IOException {
    Path f = write("a.yaml", "a: 1\n");

    Cli.Result r = Cli.run("get", "--redact", "pin(", f.toString(), "a");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("hotconf: --redact: invalid regular expression 'pin(': ");
  }

  @Test
  void everyCommandThatShowsValuesDocumentsTheOption() {
    for (String command : new String[] {"validate", "get", "diff"}) {
      assertThat(Cli.run("help", command).out()).as(command).contains("--redact=PATTERN");
    }
  }
}
