package dev.hotconf.sidecar.soak;

import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The ways real tools replace a file (as config-file's torture test does them, with
 * config-testing's {@link FileReplacement}). All modes act on the same file, one after another, in
 * any order.
 */
enum WriteMode {
  /** Truncate and rewrite the same inode in one write. */
  IN_PLACE,
  /**
   * Truncate and rewrite the same inode in 2-4 chunks, sometimes pausing longer than the debounce.
   */
  IN_PLACE_CHUNKED,
  /** Editors' safe write, Ansible, IntelliJ: a temp file in the same folder renamed over. */
  TEMP_RENAME,
  /** vim: the original renamed to a backup, a new file written, the backup deleted. */
  VIM_BACKUP,
  /** Deleted, then (after a pause) written anew. */
  DELETE_RECREATE,
  /** A Kubernetes ConfigMap volume: {@code ..data} symlink swapped to a new timestamped folder. */
  KUBERNETES;

  /**
   * Writes {@code content} to {@code file} this way; {@code pace} ends pauses early when stopping.
   */
  void write(Path file, String content, Random rnd, Pace pace, KubernetesConfigMapVolume kube)
      throws IOException {
    switch (this) {
      case IN_PLACE -> FileReplacement.inPlace(file, content);
      case IN_PLACE_CHUNKED ->
          FileReplacement.inPlace(
              file,
              content,
              2 + rnd.nextInt(3),
              Duration.ofMillis(rnd.nextInt(4) == 0 ? 75 : rnd.nextInt(3)),
              pace::pause);
      case TEMP_RENAME ->
          FileReplacement.renameOver(
              file,
              content,
              List.of(".app.yaml.tmp", "app.yaml___jb_tmp___", ".app.yaml.1234.2026@~")
                  .get(rnd.nextInt(3)));
      case VIM_BACKUP -> FileReplacement.vim(file, content);
      case DELETE_RECREATE ->
          FileReplacement.deleteRecreate(
              file, content, Duration.ofMillis(rnd.nextInt(100)), pace::pause);
      case KUBERNETES -> kube.publish(file.getFileName().toString(), content);
    }
  }
}
