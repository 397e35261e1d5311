package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembly;
import dev.hotconf.sidecar.filetarget.SplayGate;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File targets inside the running sidecar: templates, splay and the shrink guard. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileTargetsTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private SidecarProcess runner;
  private Publisher publisher;

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  private void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void start(String... lines) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    runner =
        SidecarProcess.load(
            file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    runner.start();
  }

  private HttpResponse<String> request(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String status() throws Exception {
    return request("GET", "/v1/status").body();
  }

  @Test
  void aTemplateErrorLeavesItsTargetUntouchedWhileTheOtherTargetsGetTheVersion() throws Exception {
    Path app = dir.resolve("config/app.yaml");
    write(app, "site: {listen: 8080, root: /srv/a}\n");
    write(dir.resolve("templates/good.tmpl"), "listen {{ site.listen }};\n");
    write(dir.resolve("templates/bad.tmpl"), "root {{ site.root }};\n");
    start(
        "sources:",
        "  - type: file",
        "    path: config/app.yaml",
        "    debounce: 50ms",
        "server:",
        "  listen: 127.0.0.1:0",
        "targets:",
        "  - file: out/app.json",
        "  - file: out/good.conf",
        "    template: templates/good.tmpl",
        "  - file: out/bad.conf",
        "    template: templates/bad.tmpl");
    Path json = dir.resolve("out/app.json");
    Path good = dir.resolve("out/good.conf");
    Path bad = dir.resolve("out/bad.conf");
    await().until(() -> runner.publisher().allDelivered() && Files.exists(bad));
    assertThat(Files.readString(bad)).isEqualTo("root /srv/a;\n");
    var badModified = Files.getLastModifiedTime(bad);

    write(app, "site: {listen: 8081}\n");
    await().until(() -> Files.readString(good).equals("listen 8081;\n"));
    await().until(() -> Files.readString(json).contains("8081"));
    await().until(() -> status().contains("\"stage\" : \"render\""));
    String status = status();
    assertThat(status)
        .contains(
            "\"message\" : \""
                + dir.resolve("templates/bad.tmpl")
                + ":1:14: no key or item 'root' there (or not accessible)\"");
    assertThat(Files.readString(bad)).isEqualTo("root /srv/a;\n");
    assertThat(Files.getLastModifiedTime(bad)).isEqualTo(badModified);
    assertThat(request("GET", "/metrics").body())
        .contains(
            "hotconf_target_apply_failures_total{target=\"file:" + bad + "\",stage=\"render\"} 1");

    // editing the template renders the current version again
    write(dir.resolve("templates/bad.tmpl"), "root {{ site.root | default('/srv/default') }};\n");
    await().until(() -> Files.readString(bad).equals("root /srv/default;\n"));
    await().until(() -> !status().contains("\"stage\" : \"render\""));
    await().until(() -> runner.publisher().allDelivered());
  }

  /**
   * A template beside its target (/etc/nginx/nginx.conf.tmpl and nginx.conf): the check's temporary
   * file is made and removed in the watched folder. Only a template edit may make the version due
   * again, or a refused check would run again and again.
   */
  @Test
  void filesTheTargetWritesBesideItsTemplateDoNotTriggerItAgain() throws Exception {
    write(dir.resolve("config/app.yaml"), "site: {listen: 8080}\n");
    write(dir.resolve("out/site.conf.tmpl"), "listen {{ site.listen }};\n");
    start(
        "sources:",
        "  - type: file",
        "    path: config/app.yaml",
        "server:",
        "  listen: 127.0.0.1:0",
        "targets:",
        "  - file: out/site.conf",
        "    template: out/site.conf.tmpl",
        "    check: [\"false\"]");
    String refusedOnce =
        "hotconf_target_apply_failures_total{target=\"file:"
            + dir.resolve("out/site.conf")
            + "\",stage=\"check\"} 1\n";
    await().until(() -> request("GET", "/metrics").body().contains(refusedOnce));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> request("GET", "/metrics").body().contains(refusedOnce));
    assertThat(Files.exists(dir.resolve("out/site.conf"))).isFalse();

    // an edit of the template is seen, and checked (and refused) once more
    write(dir.resolve("out/site.conf.tmpl"), "listen {{ site.listen }}; # edited\n");
    String refusedTwice = refusedOnce.replace("} 1\n", "} 2\n");
    await().until(() -> request("GET", "/metrics").body().contains(refusedTwice));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> request("GET", "/metrics").body().contains(refusedTwice));
  }

  @Test
  void aMissingTemplateIsThatTargetsErrorUntilItAppearsAndAMissingFolderStopsTheStart()
      throws Exception {
    write(dir.resolve("config/app.yaml"), "site: {listen: 8080}\n");
    String[] lines = {
      "sources:",
      "  - type: file",
      "    path: config/app.yaml",
      "server:",
      "  listen: 127.0.0.1:0",
      "targets:",
      "  - file: out/app.json",
      "  - file: out/site.conf",
      "    template: nowhere/site.conf.tmpl"
    };
    assertThatThrownBy(() -> start(lines))
        .isInstanceOf(SidecarProcess.UsageProblem.class)
        .hasMessage(
            dir.resolve("sidecar.yaml")
                + ": targets[1].template: the folder of "
                + dir.resolve("nowhere/site.conf.tmpl")
                + " does not exist (it is watched for edits)");
    runner.close();
    runner = null;

    Files.createDirectories(dir.resolve("templates"));
    lines[8] = "    template: templates/site.conf.tmpl";
    start(lines);
    await().until(() -> Files.exists(dir.resolve("out/app.json")));
    await().until(() -> status().contains("cannot read the template: NoSuchFileException"));
    write(dir.resolve("templates/site.conf.tmpl"), "listen {{ site.listen }};\n");
    await().until(() -> Files.exists(dir.resolve("out/site.conf")));
    assertThat(Files.readString(dir.resolve("out/site.conf"))).isEqualTo("listen 8080;\n");
    await().until(() -> runner.publisher().allDelivered());
  }

  /** Records what is scheduled; runs it when the test says so, in order of delay. */
  static final class ManualScheduler implements SplayGate.Scheduler {
    record Task(Runnable task, Duration delay) {}

    final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
      tasks.add(new Task(task, delay));
    }

    synchronized List<Task> drain() {
      List<Task> due = new ArrayList<>(tasks);
      tasks.clear();
      due.sort(Comparator.comparing(Task::delay));
      return due;
    }
  }

  @Test
  void splaySpreadsTwentyTargetsOverTheWindowAndEachGetsTheNewestVersion() throws Exception {
    List<String> lines = new ArrayList<>(List.of("sources:", "  - type: file", "    path: x.yaml"));
    lines.add("targets:");
    for (int i = 0; i < 20; i++) {
      lines.add("  - file: out/t" + i + ".json");
      lines.add("    splay: 10s");
    }
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    MemorySource source = Sources.text("mem", ConfigFormat.YAML, "v: 1\n");
    ManualScheduler scheduler = new ManualScheduler();
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      publisher =
          new Publisher(a.settings().targets()).splay(scheduler, new SplittableRandom(2026));
      publisher.start(dev.hotconf.HotConfig.builder().source(source));
    }
    // the first version after start is applied at once
    await().until(() -> publisher.allDelivered());
    assertThat(scheduler.tasks).isEmpty();
    for (int i = 0; i < 20; i++) {
      assertThat(Files.readString(dir.resolve("out/t" + i + ".json"))).isEqualTo("{\"v\":1}");
    }

    source.update(ConfigFormat.YAML, "v: 2\n");
    await().until(() -> publisher.published().version() == 2);
    source.update(ConfigFormat.YAML, "v: 3\n"); // arrives during the wait: replaces v2
    await().until(() -> publisher.published().version() == 3);
    assertThat(publisher.allDelivered()).isFalse();
    assertThat(publisher.statusJson()).contains("\"pendingVersion\" : 3");
    assertThat(publisher.metricsText()).contains("hotconf_target_splay_pending{target=\"file:");
    List<ManualScheduler.Task> tasks = scheduler.drain();
    assertThat(tasks).hasSize(20);
    int[] fifths = new int[5];
    for (ManualScheduler.Task t : tasks) {
      assertThat(t.delay()).isBetween(Duration.ZERO, Duration.ofSeconds(10));
      fifths[(int) Math.min(4, t.delay().toMillis() / 2000)]++;
    }
    assertThat(java.util.Arrays.stream(fifths).boxed()).allMatch(n -> n >= 1);
    for (ManualScheduler.Task t : tasks) {
      t.task().run();
    }
    await().until(() -> publisher.allDelivered());
    for (int i = 0; i < 20; i++) {
      assertThat(Files.readString(dir.resolve("out/t" + i + ".json"))).isEqualTo("{\"v\":3}");
    }
  }

  @Test
  void theShrinkGuardRefusesALargeRemovalUntilAllowedOnceOverHttp() throws Exception {
    Path app = dir.resolve("config/app.yaml");
    write(app, "a: 1\nb: 2\nc: 3\nd: 4\n");
    start(
        "sources:",
        "  - type: file",
        "    path: config/app.yaml",
        "    debounce: 50ms",
        "guard:",
        "  max-removed-keys: 50%",
        "server:",
        "  listen: 127.0.0.1:0",
        "targets:",
        "  - file: out/app.json");
    Path out = dir.resolve("out/app.json");
    await().until(() -> Files.exists(out) && Files.readString(out).contains("\"d\":4"));
    write(app, "a: 1\n");
    await().until(() -> status().contains("\"rejecting\" : true"));
    assertThat(status())
        .contains(
            "the new configuration removes 3 of 4 keys (75%, more than the shrink guard's"
                + " max-removed-keys 50%): b, c, d")
        .contains("\"maxRemovedKeys\" : \"50%\"");
    assertThat(Files.readString(out)).contains("\"d\":4");

    assertThat(request("GET", "/v1/guard/allow").statusCode()).isEqualTo(405);
    assertThat(request("POST", "/v1/guard/allow").statusCode()).isEqualTo(400);
    HttpResponse<String> allowed = request("POST", "/v1/guard/allow", "X-Hotconf-Guard", "allow");
    assertThat(allowed.statusCode()).isEqualTo(200);
    await().until(() -> Files.readString(out).equals("{\"a\":1}"));
    assertThat(status()).contains("\"rejecting\" : false").contains("\"nextAllowed\" : false");
  }

  @Test
  void allowingWithoutAGuardIsAConflict() throws Exception {
    write(dir.resolve("config/app.yaml"), "a: 1\n");
    start(
        "sources:",
        "  - type: file",
        "    path: config/app.yaml",
        "server:",
        "  listen: 127.0.0.1:0");
    HttpResponse<String> r = request("POST", "/v1/guard/allow", "X-Hotconf-Guard", "allow");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("no shrink guard is configured");
    assertThat(status()).contains("\"guard\" : null");
  }
}
