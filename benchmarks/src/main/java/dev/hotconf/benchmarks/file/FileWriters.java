package dev.hotconf.benchmarks.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The ways tools replace a file, done with real files, renames and symbolic links (the same
 * sequences as config-file's {@code WriteModesTest}). Each method returns when the write is
 * complete: after the rename, or after the last write and close.
 */
enum FileWriters {
  /** Truncate and rewrite the same file (inode kept), one write. */
  IN_PLACE("inplace", "in-place rewrite (truncate + write)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.WRITE,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
  },
  /** Editors' safe write, Ansible: a temp file in the same folder renamed over (ATOMIC_MOVE). */
  RENAME("rename", "rename-over (temp file + ATOMIC_MOVE)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      Path tmp = dir.resolve("." + name + ".tmp");
      Files.writeString(tmp, content);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  },
  /** vim: the original renamed to a backup, a new file written, the backup deleted. */
  VIM("vim", "vim-style (rename to backup, write new, delete backup)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      Path file = dir.resolve(name);
      Path backup = dir.resolve(name + "~");
      boolean had = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
      if (had) {
        Files.move(file, backup, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(file, content);
      if (had) {
        Files.delete(backup);
      }
    }
  },
  /** Delete the file, then write a new one at once (no pause). */
  RECREATE("recreate", "delete + recreate") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      Path file = dir.resolve(name);
      Files.deleteIfExists(file);
      Files.writeString(file, content);
    }
  },
  /**
   * A Kubernetes ConfigMap volume updated as the kubelet's atomic writer does it: the visible file
   * is a symlink to {@code ..data/name}; {@code ..data} is a symlink to a timestamped folder; an
   * update writes a new timestamped folder, points {@code ..data_tmp} at it, renames {@code
   * ..data_tmp} over {@code ..data} and deletes the old folder. The write is complete once the
   * rename returned (the old folder's deletion follows, as in the kubelet); t0 is taken after it.
   */
  KUBE("kube", "Kubernetes ConfigMap ..data swap") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      Path data = dir.resolve("..data");
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      long n = ++kubeSeq;
      String ts = String.format(Locale.ROOT, "..2026_11_22_03_%02d_%02d.%09d", (n / 60) % 60, n % 60, n);
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
        // first publish only: swap the visible link in atomically
        Path link = dir.resolve("." + name + ".link-tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        Files.move(link, visible, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      if (old != null && !old.equals(fresh)) {
        deleteTree(old);
      }
    }
  };

  // only ever used from the single benchmark thread
  private static long kubeSeq;

  private final String key;
  private final String description;

  FileWriters(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** The short name used on the command line. */
  String key() {
    return key;
  }

  String description() {
    return description;
  }

  /** Replaces {@code dir/name} with {@code content}; returns when the write is complete. */
  abstract void write(Path dir, String name, String content) throws IOException;

  static FileWriters byKey(String key) {
    for (FileWriters w : values()) {
      if (w.key.equals(key)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + key + "'; known: inplace, rename, vim, recreate, kube");
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
}
