package dev.hotconf.file;

import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Tells directory-watcher which folders to register. Its default walks the whole tree below the
 * watched folder (all of {@code /etc} for {@code /etc/app.yaml}); we need only:
 *
 * <ul>
 *   <li>the watched folder and the extra folders (where symbolic links lead outside it);
 *   <li>the watched folder's {@code ..*} sub-folders, one level, where Kubernetes keeps the real
 *       files behind {@code ..data} (so an in-place write through {@code app.yaml ->
 *       ..data/app.yaml} is seen).
 * </ul>
 *
 * Any other sub-folder is reported to the {@code onFile} callback instead of {@code onDirectory}:
 * directory-watcher then still announces its creation (a folder where a file was expected) but
 * never registers it or walks into it. Stateless after construction; thread-safe.
 */
final class ShallowVisitor implements FileTreeVisitor {
  private final Path root;
  private final Set<Path> extras;

  ShallowVisitor(Path root, Set<Path> extras) {
    this.root = root;
    this.extras = Set.copyOf(extras);
  }

  static boolean isKubernetesFolder(Path root, Path p) {
    Path name = p.getFileName();
    return root.equals(p.getParent()) && name != null && name.toString().startsWith("..");
  }

  @Override
  public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile)
      throws IOException {
    if (start.equals(root) || extras.contains(start)) {
      onDirectory.call(start);
      for (Path child : children(start)) {
        if (start.equals(root)
            && isKubernetesFolder(root, child)
            && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          visitOneLevel(child, onDirectory, onFile);
        } else {
          onFile.call(child);
        }
      }
    } else if (isKubernetesFolder(root, start)
        && Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      visitOneLevel(start, onDirectory, onFile);
    } else {
      onFile.call(start);
    }
  }

  private static void visitOneLevel(Path folder, Callback onDirectory, Callback onFile)
      throws IOException {
    onDirectory.call(folder);
    for (Path child : children(folder)) {
      onFile.call(child);
    }
  }

  private static java.util.List<Path> children(Path folder) {
    java.util.List<Path> out = new java.util.ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
      ds.forEach(out::add);
    } catch (IOException | RuntimeException e) {
      // gone or unreadable: the folder itself is still registered; a later event or rescan tells
    }
    return out;
  }
}
