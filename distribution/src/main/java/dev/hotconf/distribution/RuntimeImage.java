package dev.hotconf.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Build step (not shipped): the self-contained image, {@code hotconf-VERSION-linux-x64}. hotconf
 * and its libraries, merged into one jar by the shade plugin, become one named module, {@code
 * dev.hotconf.cli}, linked by {@code jlink} into a runtime with only the JDK modules it needs.
 *
 * <p>Why a module inside the runtime rather than jars on a class path: Java 17 records the class
 * path's absolute locations in an application class-data sharing archive and refuses the archive
 * when the jars are elsewhere, so an archive made at package time would never serve an unpacked
 * copy. Classes linked into the runtime image have no such location: the runtime's own archive
 * ({@code runtime/lib/server/classes.jsa}) and {@code run}'s ({@code
 * runtime/lib/server/hotconf-run.jsa}), written by {@link ClassDataArchive}, hold hotconf's classes
 * wherever the image is unpacked.
 *
 * <p>The module ({@code open}, so picocli and Jackson may reflect on it as they do on the class
 * path) {@code requires} what {@code jdeps --print-module-deps} finds in the merged jar, {@code
 * uses} and {@code provides} every service the jar declares in {@code META-INF/services}; the image
 * adds {@link #ADDED_MODULES}, which no class refers to but which the JDK looks up at run time.
 *
 * <p>Arguments: the merged jar, the plain distribution folder (its {@code bin}, {@code completion},
 * {@code man}, {@code README.txt} and {@code LICENSE} are copied), the image folder to create, a
 * work folder.
 */
public final class RuntimeImage {
  /** The module hotconf becomes; the launcher runs {@code -m dev.hotconf.cli/...}. */
  static final String MODULE = "dev.hotconf.cli";

  /**
   * JDK modules found by look-up, not by reference: the elliptic-curve provider (TLS 1.3 key
   * exchange and ECDSA certificates, for https push targets and Consul over TLS).
   */
  static final List<String> ADDED_MODULES = List.of("jdk.crypto.ec");

  private RuntimeImage() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: RuntimeImage MERGED_JAR DIST_DIR IMAGE_DIR WORK_DIR");
    }
    Path merged = Path.of(args[0]);
    Path dist = Path.of(args[1]);
    Path image = Path.of(args[2]);
    Path work = Path.of(args[3]);
    Files.createDirectories(work);
    deleteTree(image);

    List<String> jdkModules = jdkModules(merged);
    Path moduleJar = work.resolve(MODULE + ".jar");
    Files.copy(merged, moduleJar, StandardCopyOption.REPLACE_EXISTING);
    Path src = work.resolve("module-src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("module-info.java"), moduleInfo(jdkModules, services(merged)));
    Path classes = work.resolve("module-classes");
    Files.createDirectories(classes);
    run(
        "javac",
        "-d",
        classes.toString(),
        "--patch-module",
        MODULE + "=" + merged,
        src.resolve("module-info.java").toString());
    run(
        "jar",
        "--update",
        "--file",
        moduleJar.toString(),
        "--main-class",
        "dev.hotconf.sidecar.Main",
        "-C",
        classes.toString(),
        "module-info.class");

    List<String> modules = new ArrayList<>();
    modules.add(MODULE);
    modules.addAll(ADDED_MODULES);
    Path jmods = Path.of(System.getProperty("java.home"), "jmods");
    if (!Files.isDirectory(jmods)) {
      throw new IllegalStateException(
          jmods + " is missing: jlink needs the JDK's jmods (Debian: openjdk-17-jmods)");
    }
    run(
        "jlink",
        "--module-path",
        moduleJar + java.io.File.pathSeparator + jmods,
        "--add-modules",
        String.join(",", modules),
        "--strip-debug",
        "--no-header-files",
        "--no-man-pages",
        "--compress=2",
        "--output",
        image.resolve("runtime").toString());

    for (String part : List.of("bin", "completion", "man", "README.txt", "LICENSE")) {
      copyTree(dist.resolve(part), image.resolve(part));
    }
    Files.writeString(
        work.resolve("modules.txt"), String.join("\n", modules) + "\n" + jdkModules + "\n");
  }

  /** {@code jdeps --print-module-deps}: the JDK modules the merged jar's classes refer to. */
  static List<String> jdkModules(Path jar) {
    String out =
        run(
                "jdeps",
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                Integer.toString(Runtime.version().feature()),
                jar.toString())
            .trim();
    String last = out.lines().reduce((a, b) -> b).orElse("");
    return Arrays.stream(last.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Service interface to its implementations present in the jar, from META-INF/services. */
  static Map<String, List<String>> services(Path jar) throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (JarEntry e : jf.stream().toList()) {
        String name = e.getName();
        if (!name.startsWith("META-INF/services/") || e.isDirectory()) {
          continue;
        }
        String service = name.substring("META-INF/services/".length());
        if (service.isEmpty() || jf.getEntry(service.replace('.', '/') + ".class") == null) {
          continue; // a JDK interface: nothing to declare as a use
        }
        List<String> impls = new ArrayList<>();
        try (InputStream in = jf.getInputStream(e)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String impl = line.replaceAll("#.*", "").trim();
            if (!impl.isEmpty() && jf.getEntry(impl.replace('.', '/') + ".class") != null) {
              impls.add(impl);
            }
          }
        }
        out.put(service, impls);
      }
    }
    return out;
  }

  static String moduleInfo(List<String> requires, Map<String, List<String>> services) {
    StringBuilder b = new StringBuilder("open module ").append(MODULE).append(" {\n");
    for (String m : new TreeSet<>(requires)) {
      b.append("  requires ").append(m).append(";\n");
    }
    services.forEach(
        (service, impls) -> {
          b.append("  uses ").append(service).append(";\n");
          if (!impls.isEmpty()) {
            b.append("  provides ")
                .append(service)
                .append(" with ")
                .append(String.join(", ", impls))
                .append(";\n");
          }
        });
    return b.append("}\n").toString();
  }

  static String run(String tool, String... args) {
    ToolProvider provider =
        ToolProvider.findFirst(tool)
            .orElseThrow(() -> new IllegalStateException("no " + tool + " in this JDK"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = provider.run(o, e, args);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (rc != 0) {
      throw new IllegalStateException(
          tool
              + " "
              + String.join(" ", args)
              + " failed ("
              + rc
              + "):\n"
              + text
              + err.toString(StandardCharsets.UTF_8));
    }
    return text;
  }

  static void copyTree(Path from, Path to) throws IOException {
    if (Files.isRegularFile(from)) {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
