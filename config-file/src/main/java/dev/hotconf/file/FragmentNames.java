package dev.hotconf.file;

import dev.hotconf.parse.ConfigFormat;
import java.util.Optional;

/** Which names in a {@code conf.d}-style folder are fragments. Stateless and thread-safe. */
final class FragmentNames {
  private FragmentNames() {}

  /**
   * Hidden files and editors' temporary files: {@code .*} (also Kubernetes' {@code ..data} and
   * timestamped folders, vim's {@code .x.swp}, emacs' {@code .#x}), {@code *~}, {@code *.swp},
   * {@code *.tmp}, IntelliJ's {@code ___jb_tmp___} and {@code ___jb_old___}, emacs' {@code #x#},
   * and all-digit names (vim's write test file {@code 4913}).
   */
  static boolean ignored(String name) {
    return name.isEmpty()
        || name.startsWith(".")
        || name.endsWith("~")
        || name.endsWith(".swp")
        || name.endsWith(".tmp")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || (name.length() > 1 && name.startsWith("#") && name.endsWith("#"))
        || name.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The format of a fragment, or empty if {@code name} is not a fragment. */
  static Optional<ConfigFormat> fragmentFormat(String name, ConfigFormat forced) {
    if (ignored(name)) {
      return Optional.empty();
    }
    if (forced != null) {
      return Optional.of(forced);
    }
    return ConfigFormat.forFileName(name);
  }
}
