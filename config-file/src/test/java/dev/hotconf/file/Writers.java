package dev.hotconf.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The ways real tools replace a file, done with real files, renames and symbolic links. */
final class Writers {
  private Writers() {}

  /**
   * A writer pausing for {@code d} as part of the simulated scenario (e.g. between two chunks of an
   * in-place write). Never used to wait for hotconf: tests synchronise on outcomes with Awaitility.
   */
  static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    org.awaitility.Awaitility.await("writer pause").pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }

  /** Truncates and rewrites the same file (inode kept), in {@code chunks} writes with pauses. */
  static void inPlace(Path file, String content, int chunks, Duration pauseBetween) throws IOException {
    byte[] bytes = content.getBytes(UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      int n = Math.max(1, Math.min(chunks, bytes.length));
      int per = (bytes.length + n - 1) / n;
      for (int off = 0; off < bytes.length; off += per) {
        if (off > 0) {
          pause(pauseBetween);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, off, Math.min(per, bytes.length - off));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
  }

  /** Editors' safe write, Ansible, IntelliJ: write a temp file in the same folder, rename it over. */
  static void renameOver(Path file, String content, String tmpName) throws IOException {
    Path tmp = file.resolveSibling(tmpName);
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** vim: the original renamed to a backup, a new file written, the backup deleted. */
  static void vim(Path file, String content) throws IOException {
    Path backup = file.resolveSibling(file.getFileName() + "~");
    boolean had = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    if (had) {
      Files.move(file, backup, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(file, content);
    if (had) {
      Files.delete(backup);
    }
  }

  /** Deletes the file, pauses, writes a new one. */
  static void deleteRecreate(Path file, String content, Duration pause) throws IOException {
    Files.deleteIfExists(file);
    pause(pause);
    Files.writeString(file, content);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /**
   * A Kubernetes ConfigMap volume, updated as the kubelet's atomic writer does it: the visible
   * {@code name} is a symlink to {@code ..data/name}; {@code ..data} is a symlink to a timestamped
   * folder; an update writes a new timestamped folder, points {@code ..data_tmp} at it, renames
   * {@code ..data_tmp} over {@code ..data} and deletes the old folder.
   */
  static final class Kube {
    private static final AtomicLong SEQ = new AtomicLong();
    private final Path dir;

    Kube(Path dir) {
      this.dir = dir;
    }

    void publish(Map<String, String> files) throws IOException {
      Files.createDirectories(dir);
      Path data = dir.resolve("..data");
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      long n = SEQ.incrementAndGet();
      String ts = String.format("..2026_11_22_03_%02d_%02d.%09d", (n / 60) % 60, n % 60, n);
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
        Path visible = dir.resolve(name);
        Path target = Path.of("..data", name);
        if (!Files.isSymbolicLink(visible) || !Files.readSymbolicLink(visible).equals(target)) {
          // first publish (or a test replaced the link by a file): swap a link in atomically
          Path link = dir.resolve("." + name + ".link-tmp");
          Files.deleteIfExists(link);
          Files.createSymbolicLink(link, target);
          Files.move(link, visible, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (old != null && !old.equals(fresh)) {
        deleteTree(old);
      }
    }

    void publish(String name, String content) throws IOException {
      publish(Map.of(name, content));
    }
  }
}
