package dev.hotconf.sidecar.filetarget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Splay with an injected random source and a manual scheduler: no clock, no waiting. */
class SplayGateTest {
  private static final Duration SPLAY = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  /** Records what is scheduled; runs it when the test says so, in order of delay. */
  static final class ManualScheduler implements SplayGate.Scheduler {
    record Task(Runnable task, Duration delay) {}

    final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
      tasks.add(new Task(task, delay));
    }

    synchronized void runAll() {
      List<Task> due = new ArrayList<>(tasks);
      tasks.clear();
      due.sort(Comparator.comparing(Task::delay));
      due.forEach(t -> t.task().run());
    }
  }

  @Test
  void twentyTargetsAreSpreadOverTheWholeWindow() {
    ManualScheduler scheduler = new ManualScheduler();
    SplittableRandom seeds = new SplittableRandom(17);
    List<String> applied = new CopyOnWriteArrayList<>();
    List<SplayGate<String>> gates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "target-" + i;
      gates.add(
          new SplayGate<>(
              SPLAY, seeds.split(), scheduler, CLOCK, v -> applied.add(name + "@" + v)));
    }
    gates.forEach(g -> g.offer("v2"));
    assertThat(applied).isEmpty();
    List<Duration> delays = scheduler.tasks.stream().map(ManualScheduler.Task::delay).toList();
    assertThat(delays).hasSize(20).allMatch(d -> !d.isNegative() && d.compareTo(SPLAY) <= 0);
    // every 2-second fifth of the window has targets, and no second holds more than 5 of 20
    int[] fifths = new int[5];
    int[] seconds = new int[11];
    for (Duration d : delays) {
      fifths[(int) Math.min(4, d.toMillis() / 2000)]++;
      seconds[(int) d.toSeconds()]++;
    }
    assertThat(java.util.Arrays.stream(fifths).boxed()).allMatch(n -> n >= 1);
    assertThat(java.util.Arrays.stream(seconds).boxed()).allMatch(n -> n <= 5);
    assertThat(delays.stream().distinct()).hasSize(20);
    // each gate says when it releases
    for (int i = 0; i < 20; i++) {
      assertThat(gates.get(i).releaseAt()).isEqualTo(T0.plus(delays.get(i)));
    }
    scheduler.runAll();
    assertThat(applied).hasSize(20).allMatch(s -> s.endsWith("@v2"));
    assertThat(gates).allMatch(g -> g.releaseAt() == null && g.pending() == null);
  }

  @Test
  void theSpreadIsUniformOverManyDraws() {
    // the same draw the gate makes, over 20,000 gates: each tenth of the window gets 10% +- 1.5%
    ManualScheduler scheduler = new ManualScheduler();
    SplittableRandom seeds = new SplittableRandom(4242);
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      new SplayGate<String>(SPLAY, seeds.split(), scheduler, CLOCK, v -> {}).offer("v");
    }
    int[] tenths = new int[10];
    for (ManualScheduler.Task t : scheduler.tasks) {
      tenths[(int) Math.min(9, t.delay().toMillis() / 1000)]++;
    }
    assertThat(java.util.Arrays.stream(tenths).boxed())
        .allMatch(c -> Math.abs(c - n / 10) <= n * 0.015);
  }

  @Test
  void aNewerVersionDuringTheWaitReplacesThePendingOneAndKeepsTheReleaseTime() {
    ManualScheduler scheduler = new ManualScheduler();
    List<String> applied = new ArrayList<>();
    SplayGate<String> gate =
        new SplayGate<>(SPLAY, new SplittableRandom(1), scheduler, CLOCK, applied::add);
    gate.offer("v2");
    Instant release = gate.releaseAt();
    gate.offer("v3");
    gate.offer("v4");
    assertThat(scheduler.tasks).hasSize(1);
    assertThat(gate.pending()).isEqualTo("v4");
    assertThat(gate.releaseAt()).isEqualTo(release);
    scheduler.runAll();
    assertThat(applied).containsExactly("v4");
    // the next version draws a new wait
    gate.offer("v5");
    assertThat(scheduler.tasks).hasSize(1);
    scheduler.runAll();
    assertThat(applied).containsExactly("v4", "v5");
  }

  @Test
  void zeroSplayAndPassHandOnAtOnce() {
    ManualScheduler scheduler = new ManualScheduler();
    List<String> applied = new ArrayList<>();
    new SplayGate<String>(Duration.ZERO, new SplittableRandom(1), scheduler, CLOCK, applied::add)
        .offer("v1");
    assertThat(applied).containsExactly("v1");
    SplayGate<String> gate =
        new SplayGate<>(SPLAY, new SplittableRandom(1), scheduler, CLOCK, applied::add);
    gate.offer("v2");
    gate.pass("v3");
    assertThat(applied).containsExactly("v1", "v3");
    scheduler.runAll(); // the dropped wait releases nothing
    assertThat(applied).containsExactly("v1", "v3");
    assertThat(scheduler.tasks).isEmpty();
  }
}
