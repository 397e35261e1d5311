package dev.hotconf.benchmarks.memory;

import dev.hotconf.ConfigChange;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Documents;
import dev.hotconf.benchmarks.ReloadFixture;
import dev.hotconf.source.MemorySource;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openjdk.jol.info.GraphLayout;

/**
 * The retained size of one published {@link ConfigSnapshot} of {@code --keys} leaves (default
 * 10,000; target ≤ 4 MB), measured two ways in one run:
 *
 * <ol>
 *   <li>JOL's {@code GraphLayout.parseInstance(snapshot).totalSize()}: every object reachable from
 *       the snapshot (tree, flattened key map, keys, values, origins, hash, and the config's {@link
 *       dev.hotconf.Redactor}, which all snapshots of a config share and is reported on its own).
 *       The walk also checks what the snapshot must not hold: no other snapshot (no chain to the
 *       previous version), no {@link ConfigChange}, no source, and no array as large as the
 *       document text.
 *   <li>Heap delta: used heap after full GC with the live snapshot only, then with {@code
 *       --retained} (default 30) published snapshots held in a list, divided by the extra snapshots
 *       held. Every reload parses anew, so the snapshots share nothing but the redactor and a few
 *       interned strings.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.hotconf.benchmarks.memory.SnapshotSize [--keys 10000] [--retained 30]}. Exits 1 when the
 * snapshot holds what it must not.
 */
public final class SnapshotSize {

  /**
   * {@code jolBytes}/{@code jolObjects}: the graph reachable from the snapshot, the redactor
   * included; {@code redactorBytes}: the shared redactor's part; {@code heapDeltaPerSnapshot}: from
   * the second method; {@code snapshotsInGraph}, {@code forbiddenInGraph} (changes, sources,
   * configs) and {@code largestArrayBytes}: what the walk found.
   */
  public record Result(
      int keys,
      int textBytes,
      long jolBytes,
      long jolObjects,
      long redactorBytes,
      long heapDeltaPerSnapshot,
      int retained,
      long snapshotsInGraph,
      long forbiddenInGraph,
      long largestArrayBytes,
      String footprint) {

    /**
     * The snapshot references no other snapshot, change, source or config, nor the document text.
     */
    public boolean holdsOnlyItself() {
      return snapshotsInGraph == 1 && forbiddenInGraph == 0 && largestArrayBytes < textBytes / 2;
    }
  }

  private SnapshotSize() {}

  public static void main(String[] args) {
    Args.quiet();
    Flags f = new Flags(args, Set.of("keys", "retained"));
    Result r = run(f.intValue("keys", 10_000), f.intValue("retained", 30));
    System.out.println(r.footprint());
    System.out.printf(
        Locale.ROOT, "keys: %,d, document text: %,d bytes%n", r.keys(), r.textBytes());
    System.out.printf(
        Locale.ROOT,
        "JOL graph of one snapshot: %,d bytes in %,d objects (%.2f MiB), of which the"
            + " shared redactor %,d bytes%n",
        r.jolBytes(),
        r.jolObjects(),
        r.jolBytes() / 1048576.0,
        r.redactorBytes());
    System.out.printf(
        Locale.ROOT,
        "heap delta after full GC, %d snapshots held: %,d bytes per snapshot (%.2f MiB)%n",
        r.retained(),
        r.heapDeltaPerSnapshot(),
        r.heapDeltaPerSnapshot() / 1048576.0);
    System.out.printf(
        Locale.ROOT,
        "snapshots in the graph: %d, changes/sources/configs: %d, largest array: %,d bytes%n",
        r.snapshotsInGraph(),
        r.forbiddenInGraph(),
        r.largestArrayBytes());
    System.out.printf(
        Locale.ROOT,
        "per key: %.0f bytes (JOL), %.0f bytes (heap delta)%n",
        (double) r.jolBytes() / r.keys(),
        (double) r.heapDeltaPerSnapshot() / r.keys());
    if (!r.holdsOnlyItself()) {
      System.out.println("FAIL: the snapshot holds more than itself");
      System.exit(1);
    }
  }

  public static Result run(int keys, int retained) {
    if (retained < 2) {
      throw new IllegalArgumentException("need --retained >= 2");
    }
    int textBytes = Documents.service(keys, 1).getBytes(StandardCharsets.UTF_8).length;
    try (ReloadFixture fixture = ReloadFixture.alternating("snapshot-size", keys)) {
      for (int i = 0; i < 3; i++) {
        fixture.reload();
      }
      ConfigSnapshot snapshot = fixture.config().snapshot();
      GraphLayout layout = GraphLayout.parseInstance(snapshot);
      long redactorBytes = GraphLayout.parseInstance(fixture.config().redactor()).totalSize();
      long largestArray = 0;
      for (long address : layout.addresses()) {
        var record = layout.record(address);
        if (record.klass().isArray()) {
          largestArray = Math.max(largestArray, record.size());
        }
      }
      var counts = layout.getClassCounts();
      long forbidden =
          counts.count(ConfigChange.class)
              + counts.count(MemorySource.class)
              + counts.count(HotConfig.class);
      long perSnapshot = heapDelta(fixture, retained);
      return new Result(
          keys,
          textBytes,
          layout.totalSize(),
          layout.totalCount(),
          redactorBytes,
          perSnapshot,
          retained,
          counts.count(ConfigSnapshot.class),
          forbidden,
          largestArray,
          layout.toFootprint());
    }
  }

  /**
   * Used heap with {@code retained} snapshots held minus with the live one only, per extra
   * snapshot.
   */
  private static long heapDelta(ReloadFixture fixture, int retained) {
    long before = Heap.usedAfterFullGc();
    List<ConfigSnapshot> held = new ArrayList<>(retained);
    for (int i = 0; i < retained; i++) {
      fixture.reload();
      held.add(fixture.config().snapshot());
    }
    long after = Heap.usedAfterFullGc();
    Reference.reachabilityFence(held);
    return (after - before) / (retained - 1);
  }
}
