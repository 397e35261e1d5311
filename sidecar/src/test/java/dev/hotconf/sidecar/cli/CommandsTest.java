package dev.hotconf.sidecar.cli;

import static dev.hotconf.sidecar.cli.Cli.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandsTest {
  private static final String SCHEMA = corpus("schema/app.schema.yaml");

  @TempDir Path dir;

  // ---- validate: exit codes, formats, inputs -------------------------------------------------

  @Test
  void validFilesOfEveryFormatPass() {
    Cli.Result r = Cli.run("validate", corpus("valid"));
    assertThat(r.outLines()).containsExactly("6 files, 0 invalid, 0 problems");
    assertThat(r.code()).isZero();
  }

  @Test
  void directoriesAreSearchedRecursivelyInSortedOrder() throws IOException {
    Files.createDirectories(dir.resolve("b/c"));
    Files.writeString(dir.resolve("b/c/z.yml"), "a: [");
    Files.writeString(dir.resolve("a.json"), "{,}");
    Files.writeString(dir.resolve("b/x.properties"), "a=1\na=2\n");
    Files.writeString(dir.resolve("notes.txt"), "not: [config");
    Cli.Result r = Cli.run("validate", dir.toString());
    assertThat(r.outLines()).hasSize(4);
    assertThat(r.outLines().get(0)).startsWith(dir.resolve("a.json") + ":1:2: error: ");
    assertThat(r.outLines().get(1))
        .isEqualTo(
            dir.resolve("b/c/z.yml")
                + ":1:5: error: "
                + "while parsing a flow node: expected the node content, but found '<stream end>'");
    assertThat(r.outLines().get(2))
        .isEqualTo(dir.resolve("b/x.properties") + ":2:1: error: found duplicate key 'a'");
    assertThat(r.outLines().get(3)).isEqualTo("3 files, 3 invalid, 3 problems");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void everyFileIsCheckedAfterAFailure() {
    Cli.Result r =
        Cli.run(
            "validate",
            corpus("bad/tabs.yaml"),
            corpus("valid/app.yaml"),
            corpus("bad/duplicate-key.yaml"));
    assertThat(r.outLines()).hasSize(3).last().isEqualTo("3 files, 2 invalid, 2 problems");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void stdinDefaultsToYaml() {
    Cli.Result r =
        Cli.runWithStdin("a: 1\na: 2\n".getBytes(StandardCharsets.UTF_8), "validate", "-");
    assertThat(r.outLines())
        .containsExactly(
            "<stdin>:2:1: error: found duplicate key 'a'", "1 file, 1 invalid, 1 problem");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void stdinWithType() {
    assertThat(
            Cli.runWithStdin(
                    "{\"a\": 1}".getBytes(StandardCharsets.UTF_8),
                    "validate",
                    "--type",
                    "json",
                    "-")
                .code())
        .isZero();
    Cli.Result r =
        Cli.runWithStdin(
            "{\"a\": 1,}".getBytes(StandardCharsets.UTF_8), "validate", "--type", "json", "-");
    assertThat(r.outLines().get(0))
        .isEqualTo("<stdin>:1:8: error: found a trailing comma (not allowed in JSON)");
  }

  @Test
  void jsonFormat() {
    Cli.Result r =
        Cli.run(
            "validate",
            "--format",
            "json",
            "--schema",
            SCHEMA,
            corpus("schema/bad/type.yaml"),
            corpus("schema/valid/full.yaml"));
    assertThat(r.out().trim())
        .isEqualTo(
            "{\"valid\":false,\"summary\":{\"files\":2,\"invalid\":1,\"problems\":1,"
                + "\"unreadable\":0},\"files\":[{\"path\":\""
                + corpus("schema/bad/type.yaml")
                + "\",\"valid\":false,"
                + "\"problems\":[{\"path\":\""
                + corpus("schema/bad/type.yaml")
                + "\",\"line\":2,\"column\":9,"
                + "\"key\":\"server.port\",\"message\":\"expected integer but found string\"}]},"
                + "{\"path\":\""
                + corpus("schema/valid/full.yaml")
                + "\",\"valid\":true,\"problems\":[]}]}");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void jsonFormatEscapes() {
    Cli.Result r = Cli.run("validate", "--format", "json", corpus("bad/tabs.yaml"));
    assertThat(r.out()).contains("found character '\\\\t(TAB)'");
  }

  @Test
  void githubFormat() {
    Cli.Result r =
        Cli.run(
            "validate", "--format", "github", "--schema", SCHEMA, corpus("schema/bad/secret.yaml"));
    assertThat(r.outLines())
        .containsExactly(
            "::error file="
                + corpus("schema/bad/secret.yaml")
                + ",line=5,col=13::db.password: is shorter than 12 characters",
            "::error file="
                + corpus("schema/bad/secret.yaml")
                + ",line=5,col=13::db.password: <redacted> does not match the pattern ^[^ ]+$",
            "1 file, 1 invalid, 2 problems");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void strictRejectsUndeclaredKeys() {
    String file = corpus("schema/valid/strict-violation.yaml");
    assertThat(Cli.run("validate", "--schema", SCHEMA, file).code()).isZero();
    Cli.Result r = Cli.run("validate", "--strict", "--schema", SCHEMA, file);
    assertThat(r.outLines())
        .containsExactly(
            file + ":4:12: error: server.timeout: is not declared in the schema (--strict)",
            file + ":8:11: error: db.pool.idle: is not declared in the schema (--strict)",
            "1 file, 1 invalid, 2 problems");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void strictAcceptsAFullyDeclaredFile() {
    Cli.Result r =
        Cli.run(
            "validate",
            "--strict",
            "--schema",
            SCHEMA,
            corpus("schema/valid/full.yaml"),
            corpus("schema/valid/app.properties"));
    assertThat(r.outLines()).containsExactly("2 files, 0 invalid, 0 problems");
    assertThat(r.code()).isZero();
  }

  @Test
  void schemaMayBeJson() {
    Cli.Result r =
        Cli.run(
            "validate",
            "--schema",
            corpus("schema/app.schema.json"),
            corpus("schema/bad/type.yaml"));
    assertThat(r.outLines().get(0))
        .isEqualTo(
            corpus("schema/bad/type.yaml")
                + ":2:9: error: server.port: expected integer but found string");
  }

  @Test
  void secretValuesAreNeverEchoed() throws IOException {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, "server:\n  port: 1\n  host: a\ndb:\n  password: 'hunter2 secret'\n");
    for (String format : new String[] {"text", "json", "github"}) {
      Cli.Result r = Cli.run("validate", "--format", format, "--schema", SCHEMA, f.toString());
      assertThat(r.out() + r.err()).doesNotContain("hunter2").contains("db.password");
    }
    assertThat(Cli.run("get", f.toString(), "db.password").out()).doesNotContain("hunter2");
    assertThat(Cli.run("get", f.toString(), "db").out()).doesNotContain("hunter2");
  }

  @Test
  void missingFileIsExit2AndOthersAreStillChecked() {
    Cli.Result r = Cli.run("validate", "no/such/file.yaml", corpus("bad/tabs.yaml"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("no/such/file.yaml: cannot read: no such file\n");
    assertThat(r.outLines())
        .hasSize(2)
        .last()
        .isEqualTo("2 files, 2 invalid, 1 problem, 1 unreadable");
  }

  @Test
  void anEndlessOrHugeStreamIsRefusedAtTheDocumentLimitWithoutReadingItAll() throws IOException {
    Cli.Result r = Cli.run("validate", "/dev/zero", corpus("valid/app.yaml"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("/dev/zero: cannot read: larger than 4 MiB (the document limit)\n");
    assertThat(r.outLines()).last().isEqualTo("2 files, 1 invalid, 0 problems, 1 unreadable");

    Cli.Result stdin = Cli.runWithStdin(new byte[(4 << 20) + 1], "get", "-", "a");
    assertThat(stdin.code()).isEqualTo(2);
    assertThat(stdin.err())
        .isEqualTo("<stdin>: cannot read: larger than 4 MiB (the document limit)\n");
  }

  @Test
  void usageErrorsAreExit2WithoutStackTrace() {
    Cli.Result r = Cli.run("validate", "--bogus", "x.yaml");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("hotconf: Unknown option: '--bogus'").doesNotContain("\tat ");
    assertThat(Cli.run("validate").code()).isEqualTo(2);
    assertThat(Cli.run("validate", "--format", "xml", "a.yaml").code()).isEqualTo(2);
    assertThat(Cli.run("validate", "--type", "toml", "a.yaml").code()).isEqualTo(2);
    assertThat(Cli.run("validate", "--strict", "a.yaml").err()).contains("--strict needs --schema");
    assertThat(Cli.run().code()).isEqualTo(2);
    assertThat(Cli.run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void unreadableOrBrokenSchemaIsExit2() throws IOException {
    Cli.Result missing = Cli.run("validate", "--schema", "nope.json", corpus("valid/app.yaml"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("nope.json: cannot read: no such file\n");

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"type\": \"object\",}");
    Cli.Result r = Cli.run("validate", "--schema", broken.toString(), corpus("valid/app.yaml"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(broken + ":1:18: schema error: found a trailing comma (not allowed in JSON)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void remoteRefsAreNotFetched() throws IOException {
    Path schema = dir.resolve("remote.yaml");
    Files.writeString(
        schema, "type: object\nproperties:\n  a: {$ref: 'http://127.0.0.1:9/x.json'}\n");
    Cli.Result r = Cli.run("validate", "--schema", schema.toString(), corpus("valid/app.yaml"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            schema
                + ": not a usable JSON Schema: Schema from 'http://127.0.0.1:9/x.json'"
                + " is not allowed to be loaded.\n");
  }

  @Test
  void stackTraceOnlyWithFlag() {
    assertThat(Cli.run("validate", "--schema", "nope.json", "a.yaml").err())
        .doesNotContain("\tat ");
    assertThat(Cli.run("validate", "--stacktrace", "--schema", "nope.json", "a.yaml").err())
        .contains("NoSuchFileException")
        .contains("\tat ");
  }

  // ---- get ---------------------------------------------------------------------------------

  @Test
  void getPrintsJson() {
    assertThat(Cli.run("get", corpus("valid/app.yaml"), "server.port").out()).isEqualTo("8080\n");
    assertThat(Cli.run("get", corpus("valid/app.yaml"), "features[1]").out()).isEqualTo("\"b\"\n");
    Cli.Result r = Cli.run("get", corpus("valid/app.json"), "server");
    assertThat(r.out()).isEqualTo("{\n  \"port\" : 8080,\n  \"host\" : \"example.org\"\n}\n");
    assertThat(r.code()).isZero();
  }

  @Test
  void getKeepsYaml12CoreSchemaTypes() {
    String f = corpus("valid/core-schema.yaml");
    assertThat(Cli.run("get", f, "no").out()).isEqualTo("\"no\"\n");
    assertThat(Cli.run("get", f, "on").out()).isEqualTo("\"on\"\n");
    assertThat(Cli.run("get", f, "country").out()).isEqualTo("\"NO\"\n");
    assertThat(Cli.run("get", f, "zip").out()).isEqualTo("10\n");
    assertThat(Cli.run("get", f, "empty").out()).isEqualTo("null\n");
  }

  @Test
  void getExplain() {
    Cli.Result r = Cli.run("get", "--explain", corpus("valid/app.yaml"), "server.host");
    assertThat(r.out())
        .isEqualTo("\"example.org\"\norigin: " + corpus("valid/app.yaml") + ":3:9\n");
  }

  @Test
  void getFromPropertiesAndStdin() {
    assertThat(Cli.run("get", corpus("valid/app.properties"), "server.host").out())
        .isEqualTo("\"example.org\"\n");
    assertThat(
            Cli.runWithStdin(
                    "a:\n  b: [1, 2]\n".getBytes(StandardCharsets.UTF_8), "get", "-", "a.b[1]")
                .out())
        .isEqualTo("2\n");
  }

  @Test
  void getMissingKeyIsExit1() {
    Cli.Result r = Cli.run("get", corpus("valid/app.yaml"), "server.nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(corpus("valid/app.yaml") + ": key 'server.nope' not found\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void getOnInvalidFileIsExit1WithProblems() {
    Cli.Result r = Cli.run("get", corpus("bad/duplicate-key.yaml"), "server.port");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            corpus("bad/duplicate-key.yaml") + ":4:3: error: found duplicate key 'server.port'\n");
  }

  @Test
  void getBadKeyOrMissingFileIsExit2() {
    assertThat(Cli.run("get", corpus("valid/app.yaml"), "a..b").code()).isEqualTo(2);
    Cli.Result r = Cli.run("get", "nope.yaml", "a");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("nope.yaml: cannot read: no such file\n");
  }

  // ---- diff --------------------------------------------------------------------------------

  @Test
  void diffOfEqualConfigsInDifferentFormatsIsExit0() {
    Cli.Result r = Cli.run("diff", corpus("valid/app.yaml"), corpus("valid/app.json"));
    assertThat(r.out()).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void diffPrintsFlattenedChangesWithSecretsRedacted() throws IOException {
    Path a = dir.resolve("a.yaml");
    Path b = dir.resolve("b.yaml");
    Files.writeString(
        a, "server:\n  port: 80\n  host: a\ndb:\n  password: old-secret\nlist: [1, 2]\n");
    Files.writeString(
        b, "server:\n  port: 8080\ndb:\n  password: new-secret\nlist: [1, 2, 3]\nextra: x\n");
    Cli.Result r = Cli.run("diff", a.toString(), b.toString());
    assertThat(r.outLines())
        .containsExactly(
            "~ db.password: <redacted> -> <redacted>",
            "+ extra = 'x'",
            "+ list[2] = 3",
            "- server.host (was 'a')",
            "~ server.port: 80 -> 8080");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).doesNotContain("secret");
  }

  @Test
  void diffOfInvalidFileIsExit1AndMissingFileExit2() {
    assertThat(Cli.run("diff", corpus("valid/app.yaml"), corpus("bad/tabs.yaml")).code())
        .isEqualTo(1);
    assertThat(Cli.run("diff", corpus("valid/app.yaml"), "nope.yaml").code()).isEqualTo(2);
  }

  // ---- version and help --------------------------------------------------------------------

  @Test
  void versionAndHelp() {
    Cli.Result v = Cli.run("version");
    assertThat(v.out()).startsWith("hotconf ").contains("Java ");
    assertThat(v.code()).isZero();
    assertThat(Cli.run("--version").out()).startsWith("hotconf ");

    Cli.Result h = Cli.run("help");
    assertThat(h.out()).contains("validate", "get", "diff", "version", "Exit codes:");
    assertThat(h.code()).isZero();
    Cli.Result hv = Cli.run("help", "validate");
    assertThat(hv.out()).contains("--schema", "--strict", "--format", "  4   internal error");
  }
}
