package dev.hotconf.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.SourceStatus.State;
import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of writes mixing every way of replacing a file, with invalid contents, identical
 * rewrites and gaps both shorter and longer than the debounce: 600 in the normal build (about 10 s,
 * mostly the gaps), 10,000 with {@code -Pslow} (about 3 minutes; the profile also lifts the
 * 2-minute test timeout). Seeded: the seed is printed, and {@code -Dtorture.seed=N} replays a run
 * ({@code -Dtorture.writes=N} changes its length).
 *
 * <p>Every valid document is a one-line YAML flow mapping with a unique, increasing {@code seq}:
 * any proper prefix of it (a torn read) is invalid YAML, and the empty prefix lacks the required
 * {@code seq}. So what the pipeline publishes must be exactly one of the documents written, and the
 * published {@code seq} must strictly increase (reads never go back in time; identical content
 * never publishes twice).
 */
class TortureTest {
  private static final Duration DEBOUNCE = Duration.ofMillis(15);

  enum Mode {
    IN_PLACE,
    IN_PLACE_CHUNKED,
    RENAME_OVER,
    VIM,
    DELETE_RECREATE,
    KUBERNETES
  }

  @TempDir Path dir;

  @Test
  void everyWayOfWritingMixedEndsWithTheLastValidContentLive() throws Exception {
    long seed = Long.getLong("torture.seed", System.nanoTime());
    int writes = Integer.getInteger("torture.writes", 600);
    System.out.println(
        "TortureTest seed="
            + seed
            + " writes="
            + writes
            + " (replay with -Dtorture.seed="
            + seed
            + ")");
    Random rnd = new Random(seed);
    String why = "seed " + seed;

    Path file = dir.resolve("app.yaml");
    KubernetesConfigMapVolume kube = new KubernetesConfigMapVolume(dir);
    Map<Integer, Map<String, Object>> validDocs = new HashMap<>();
    String initial = doc(0, "initial", 10);
    validDocs.put(0, Map.of("seq", 0L, "mode", "initial", "pad", "x".repeat(10)));
    Files.writeString(file, initial);

    FileSourceConfig cfg =
        FileSourceConfig.builder()
            .debounce(DEBOUNCE)
            .maxWait(Duration.ofSeconds(1))
            .renameWindow(Duration.ofMillis(5))
            .rescanInterval(Duration.ZERO)
            .build();
    FileSource fileSource = FileSource.watching(file, cfg);
    CountingSource source = new CountingSource(fileSource);
    long started = System.nanoTime();
    Map<Mode, Integer> modes = new LinkedHashMap<>();
    int invalid = 0;
    int identical = 0;
    int checkpoints = 0;
    try (HotConfig config = Support.build(source)) {
      // required (and kept reachable: the registry holds accessors weakly): a version without seq,
      // such as an empty, just-truncated file, is rejected
      dev.hotconf.IntSetting seqSetting = config.intSetting("seq");
      List<ConfigSnapshot> published = Support.record(config);

      List<String> journal = new ArrayList<>();
      String lastValid = initial;
      int lastValidSeq = 0;
      int nextCheckpoint = 50 + rnd.nextInt(100);
      for (int i = 1; i <= writes; i++) {
        String content;
        boolean checkpoint = i == nextCheckpoint || i == writes;
        int roll = rnd.nextInt(100);
        if (checkpoint) {
          // a valid content that stays: a valid one replaced by an invalid one within a
          // millisecond is legitimately never seen, so quiescence is judged after a valid write
          roll = 99;
        }
        if (roll < 12) {
          content = "{seq: " + i + ", broken: [" + "y".repeat(rnd.nextInt(50)) + "\n";
          invalid++;
        } else if (roll < 22) {
          content = lastValid; // identical rewrite: must never publish
          identical++;
        } else {
          Mode m = Mode.values()[rnd.nextInt(Mode.values().length)];
          int pad = rnd.nextInt(rnd.nextInt(10) == 0 ? 6000 : 300);
          content = doc(i, m.name(), pad);
          validDocs.put(i, Map.of("seq", (long) i, "mode", m.name(), "pad", "x".repeat(pad)));
          lastValid = content;
          lastValidSeq = i;
        }
        Mode mode = Mode.values()[rnd.nextInt(Mode.values().length)];
        modes.merge(mode, 1, Integer::sum);
        journal.add(
            i + ":" + mode + ":" + (roll < 12 ? "invalid" : roll < 22 ? "identical" : "valid"));
        write(mode, file, kube, content, rnd);
        Writers.pause(gap(rnd));

        if (checkpoint) {
          checkpoints++;
          nextCheckpoint = i + 50 + rnd.nextInt(100);
          int expectedSeq = lastValidSeq;
          try {
            await()
                .pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                    () -> {
                      assertThat(seqSetting.getAsInt()).as(why).isEqualTo(expectedSeq);
                      assertThat(Support.state(config, source)).as(why).isEqualTo(State.OK);
                      // listeners hear a version after accessors switch to it: wait for the
                      // recorder too
                      assertThat(published).as(why).isNotEmpty();
                      assertThat(published.get(published.size() - 1).getInt("seq"))
                          .as(why)
                          .isEqualTo(expectedSeq);
                    });
          } catch (AssertionError | RuntimeException e) {
            List<CountingSource.Delivery> d = source.deliveries();
            System.out.println(
                "last deliveries: "
                    + d.subList(Math.max(0, d.size() - 6), d.size()).stream()
                        .map(
                            x ->
                                x.kind()
                                    + (x.content() == null ? "" : " seq=" + x.content().get("seq")))
                        .toList());
            System.out.println(
                "last published: "
                    + published
                        .subList(Math.max(0, published.size() - 6), published.size())
                        .stream()
                        .map(x -> x.version() + ":" + x.getInt("seq"))
                        .toList());
            System.out.println(
                "journal: " + journal.subList(Math.max(0, journal.size() - 6), journal.size()));
            throw e;
          }
          assertThat(config.snapshot().root().unwrapped())
              .as(why)
              .isEqualTo(validDocs.get(expectedSeq));
          int before = published.size();
          if (rnd.nextBoolean()) {
            // quiescent: rewriting the live content again, in any way, publishes nothing
            write(Mode.values()[rnd.nextInt(Mode.values().length)], file, kube, lastValid, rnd);
            identical++;
            await()
                .pollInterval(Duration.ofMillis(10))
                .during(DEBOUNCE.multipliedBy(5))
                .atMost(Duration.ofSeconds(5))
                .until(() -> published.size() == before);
          } else {
            // an invalid version: the source fails, the live content stays, nothing is published
            write(
                Mode.values()[rnd.nextInt(Mode.values().length)],
                file,
                kube,
                "{seq: " + i + ", broken: [\n",
                rnd);
            invalid++;
            await()
                .pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(10))
                .until(() -> Support.state(config, source) == State.FAILING);
            assertThat(seqSetting.getAsInt()).as(why).isEqualTo(expectedSeq);
            assertThat(published).as(why).hasSize(before);
          }
        }
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  published.get(published.size() - 1).getInt("seq")
                      == config.snapshot().getInt("seq"));

      // what was published: only whole valid documents, each newer than the one before
      List<Integer> seqs = new ArrayList<>();
      for (ConfigSnapshot s : published) {
        assertThat(s.has("broken")).as(why + ": invalid content published").isFalse();
        int seq = s.getInt("seq");
        assertThat(s.root().unwrapped())
            .as(why + ": published content is exactly document " + seq)
            .isEqualTo(validDocs.get(seq));
        seqs.add(seq);
      }
      assertThat(seqs)
          .as(why + ": published seq strictly increases (nothing re-published)")
          .isSortedAccordingTo(Integer::compare)
          .doesNotHaveDuplicates();
      // the source itself never delivered the same content twice in a row
      List<CountingSource.Delivery> deliveries = source.deliveries();
      for (int k = 1; k < deliveries.size(); k++) {
        CountingSource.Delivery a = deliveries.get(k - 1);
        CountingSource.Delivery b = deliveries.get(k);
        if (a.kind().equals("content") && b.kind().equals("content")) {
          assertThat(b.content())
              .as(why + ": delivery " + k + " repeats the previous one")
              .isNotEqualTo(a.content());
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "TortureTest: %d writes %s, %d invalid, %d identical rewrites, %d checkpoints; "
              + "%d published, %d delivered (%d fast reads, %d slow reads) in %.1f s%n",
          writes,
          modes,
          invalid,
          identical,
          checkpoints,
          published.size(),
          deliveries.size(),
          fileSource.fastReads(),
          fileSource.slowReads(),
          seconds);
      assertThat(published.size()).isGreaterThan(checkpoints / 2);
    }
  }

  private static String doc(int seq, String mode, int pad) {
    return "{seq: " + seq + ", mode: " + mode + ", pad: \"" + "x".repeat(pad) + "\"}\n";
  }

  /** A gap between writes: mostly shorter than the debounce, often longer. */
  private static Duration gap(Random rnd) {
    int d = (int) DEBOUNCE.toMillis();
    return rnd.nextInt(100) < 65
        ? Duration.ofNanos(rnd.nextInt(d * 400_000)) // 0 .. 0.4 debounce
        : Duration.ofMillis(d + 2 + rnd.nextInt(d)); // a little over 1 .. 2 debounces
  }

  private static void write(
      Mode mode, Path file, KubernetesConfigMapVolume kube, String content, Random rnd)
      throws IOException {
    switch (mode) {
      case IN_PLACE -> Writers.inPlace(file, content, 1, Duration.ZERO);
      case IN_PLACE_CHUNKED ->
          Writers.inPlace(
              file,
              content,
              2 + rnd.nextInt(3),
              rnd.nextInt(4) == 0
                  ? DEBOUNCE.multipliedBy(3).dividedBy(2)
                  : Duration.ofMillis(rnd.nextInt(3)));
      case RENAME_OVER ->
          FileReplacement.renameOver(
              file,
              content,
              List.of(".app.yaml.tmp", "app.yaml___jb_tmp___", ".app.yaml.1234.2026@~")
                  .get(rnd.nextInt(3)));
      case VIM -> FileReplacement.vim(file, content);
      case DELETE_RECREATE ->
          Writers.deleteRecreate(
              file, content, Duration.ofMillis(rnd.nextInt((int) DEBOUNCE.toMillis() * 2)));
      case KUBERNETES -> kube.publish("app.yaml", content);
    }
  }
}
