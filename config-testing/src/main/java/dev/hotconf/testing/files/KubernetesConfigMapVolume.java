package dev.hotconf.testing.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes ConfigMap volume in a folder, updated as the kubelet's atomic writer does it: each
 * visible file {@code name} is a symlink to {@code ..data/name}; {@code ..data} is a symlink to a
 * timestamped folder; an update writes a new timestamped folder, points {@code ..data_tmp} at it,
 * renames {@code ..data_tmp} over {@code ..data} and then deletes the old folder. The update is
 * visible once {@link #publish} has renamed; the old folder's deletion follows, as in the kubelet.
 *
 * <p>Not thread-safe: one writer per folder, as with the kubelet.
 */
public final class KubernetesConfigMapVolume {
  /** Global, so a new instance on a folder that already has timestamped folders never collides. */
  private static final AtomicLong SEQ = new AtomicLong();

  private final Path dir;

  public KubernetesConfigMapVolume(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** Publishes one file. */
  public void publish(String name, String content) throws IOException {
    publish(Map.of(name, content));
  }

  /** Publishes a new version of every file in {@code files}, in one {@code ..data} swap. */
  public void publish(Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve("..data");
    Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
    long n = SEQ.incrementAndGet();
    String ts =
        String.format(Locale.ROOT, "..2026_11_22_03_%02d_%02d.%09d", (n / 60) % 60, n % 60, n);
    Path fresh = dir.resolve(ts);
    Files.createDirectory(fresh);
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(fresh.resolve(e.getKey()), e.getValue());
    }
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(ts));
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
    for (String name : files.keySet()) {
      linkVisibleFile(name);
    }
    if (old != null && !old.equals(fresh)) {
      FileReplacement.deleteTree(old);
    }
  }

  /**
   * Points {@code name} at {@code ..data/name} unless it already does: on the first publish, or
   * after something else replaced the link by a file. Swapped in atomically.
   */
  private void linkVisibleFile(String name) throws IOException {
    Path visible = dir.resolve(name);
    Path target = Path.of("..data", name);
    if (Files.isSymbolicLink(visible) && Files.readSymbolicLink(visible).equals(target)) {
      return;
    }
    Path link = dir.resolve("." + name + ".link-tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
    Files.move(link, visible, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
