package dev.hotconf.sidecar.soak;

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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The ways real tools replace a file (as config-file's torture test does them), with real files,
 * renames and symbolic links. All modes act on the same file, one after another, in any order.
 */
enum WriteMode {
  /** Truncate and rewrite the same inode in one write. */
  IN_PLACE,
  /** Truncate and rewrite the same inode in 2-4 chunks, sometimes pausing longer than the debounce. */
  IN_PLACE_CHUNKED,
  /** Editors' safe write, Ansible, IntelliJ: a temp file in the same folder renamed over. */
  TEMP_RENAME,
  /** vim: the original renamed to a backup, a new file written, the backup deleted. */
  VIM_BACKUP,
  /** Deleted, then (after a pause) written anew. */
  DELETE_RECREATE,
  /** A Kubernetes ConfigMap volume: {@code ..data} symlink swapped to a new timestamped folder. */
  KUBERNETES;

  /** Writes {@code content} to {@code file} this way; {@code pace} ends pauses early when stopping. */
  void write(Path file, String content, Random rnd, Pace pace, Kube kube) throws IOException {
    switch (this) {
      case IN_PLACE -> inPlace(file, content, 1, Duration.ZERO, pace);
      case IN_PLACE_CHUNKED -> inPlace(file, content, 2 + rnd.nextInt(3),
          Duration.ofMillis(rnd.nextInt(4) == 0 ? 75 : rnd.nextInt(3)), pace);
      case TEMP_RENAME -> renameOver(file, content,
          List.of(".app.yaml.tmp", "app.yaml___jb_tmp___", ".app.yaml.1234.2026@~").get(rnd.nextInt(3)));
      case VIM_BACKUP -> vim(file, content);
      case DELETE_RECREATE -> {
        Files.deleteIfExists(file);
        pace.pause(Duration.ofMillis(rnd.nextInt(100)));
        Files.writeString(file, content);
      }
      case KUBERNETES -> kube.publish(file.getFileName().toString(), content);
    }
  }

  private static void inPlace(Path file, String content, int chunks, Duration pauseBetween, Pace pace) throws IOException {
    byte[] bytes = content.getBytes(UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      int n = Math.max(1, Math.min(chunks, bytes.length));
      int per = (bytes.length + n - 1) / n;
      for (int off = 0; off < bytes.length; off += per) {
        if (off > 0 && !pauseBetween.isZero()) {
          pace.pause(pauseBetween);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, off, Math.min(per, bytes.length - off));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
  }

  private static void renameOver(Path file, String content, String tmpName) throws IOException {
    Path tmp = file.resolveSibling(tmpName);
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void vim(Path file, String content) throws IOException {
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

  /**
   * The kubelet's atomic writer: the visible file is a symlink to {@code ..data/name}; {@code ..data}
   * is a symlink to a timestamped folder; an update writes a new folder, points {@code ..data_tmp}
   * at it, renames {@code ..data_tmp} over {@code ..data} and deletes the old folder.
   */
  static final class Kube {
    private final Path dir;
    private long seq;

    Kube(Path dir) {
      this.dir = dir;
    }

    void publish(String name, String content) throws IOException {
      Path data = dir.resolve("..data");
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      long n = ++seq;
      String ts = String.format("..2026_11_22_03_%02d_%02d.%09d", (n / 60) % 60, n % 60, n);
      Path fresh = dir.resolve(ts);
      Files.createDirectory(fresh);
      Files.writeString(fresh.resolve(name), content);
      Path tmp = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(ts));
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
      Path visible = dir.resolve(name);
      Path target = Path.of("..data", name);
      if (!Files.isSymbolicLink(visible) || !Files.readSymbolicLink(visible).equals(target)) {
        // the file was replaced by another mode: swap the link back in atomically
        Path link = dir.resolve("." + name + ".link-tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        Files.move(link, visible, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      if (old != null && !old.equals(fresh)) {
        deleteTree(old);
      }
    }

    private static void deleteTree(Path p) throws IOException {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (Stream<Path> s = Files.walk(p)) {
        for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      }
    }
  }
}
