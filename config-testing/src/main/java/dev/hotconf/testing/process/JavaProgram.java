package dev.hotconf.testing.process;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv that runs a class of this module in a new JVM ({@code java -cp <this module> Main
 * args...}): how tests put {@link StandInNginx} into a file target's {@code check} and {@code
 * reload}. Stateless.
 */
public final class JavaProgram {
  private JavaProgram() {}

  /** The running JVM's {@code java} executable. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Where this module's classes are (a folder or a jar). */
  public static String classPath() {
    try {
      return Path.of(JavaProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code java -cp <this module> <main> args...}, with a small heap and fast start-up. */
  public static List<String> argv(Class<?> main, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(java());
    argv.add("-Xshare:auto");
    argv.add("-XX:TieredStopAtLevel=1");
    argv.add("-Xmx32m");
    argv.add("-cp");
    argv.add(classPath());
    argv.add(main.getName());
    argv.addAll(List.of(args));
    return argv;
  }
}
