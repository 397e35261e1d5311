package dev.hotconf.benchmarks.file;

import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The ways tools replace a file, by name on the command line, done with config-testing's {@link
 * FileReplacement} (the same sequences as config-file's {@code WriteModesTest}). Each method
 * returns when the write is complete: after the rename, or after the last write and close.
 */
enum FileWriters {
  /** Truncate and rewrite the same file (inode kept), one write. */
  IN_PLACE("inplace", "in-place rewrite (truncate + write)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      FileReplacement.inPlace(dir.resolve(name), content);
    }
  },
  /** Editors' safe write, Ansible: a temp file in the same folder renamed over (ATOMIC_MOVE). */
  RENAME("rename", "rename-over (temp file + ATOMIC_MOVE)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      FileReplacement.renameOver(dir.resolve(name), content, "." + name + ".tmp");
    }
  },
  /** vim: the original renamed to a backup, a new file written, the backup deleted. */
  VIM("vim", "vim-style (rename to backup, write new, delete backup)") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      FileReplacement.vim(dir.resolve(name), content);
    }
  },
  /** Delete the file, then write a new one at once (no pause). */
  RECREATE("recreate", "delete + recreate") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      FileReplacement.deleteRecreate(dir.resolve(name), content, Duration.ZERO, d -> {});
    }
  },
  /**
   * A Kubernetes ConfigMap volume updated as the kubelet's atomic writer does it ({@link
   * KubernetesConfigMapVolume}). The write is complete once the {@code ..data} rename returned (the
   * old folder's deletion follows, as in the kubelet); t0 is taken after it.
   */
  KUBE("kube", "Kubernetes ConfigMap ..data swap") {
    @Override
    void write(Path dir, String name, String content) throws IOException {
      new KubernetesConfigMapVolume(dir).publish(name, content);
    }
  };

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
    throw new IllegalArgumentException(
        "unknown mode '" + key + "'; known: inplace, rename, vim, recreate, kube");
  }
}
