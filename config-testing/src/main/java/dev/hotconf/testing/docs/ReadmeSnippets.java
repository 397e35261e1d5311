package dev.hotconf.testing.docs;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles every {@code ```java} block of a Markdown file against a class path, so that the code a
 * README shows is code that compiles. A block whose first line of code declares a type (it starts
 * with an annotation, {@code record}, {@code class}, {@code interface}, {@code enum}, {@code
 * public}, {@code final} or {@code import}) is compiled as a source file of its own; any other
 * block as the body of a method with the given signature (local records and classes allowed). Each
 * block gets its own package ({@code snippet1}, ...), so blocks may declare the same names.
 *
 * <pre>{@code
 * ReadmeSnippets readme = ReadmeSnippets.of(Path.of("README.md"))
 *     .imports("dev.hotconf.*", "java.time.*")
 *     .method("static void snippet(HotConfig config) throws Exception");
 * assertThat(readme.count()).isGreaterThanOrEqualTo(3);
 * assertThat(readme.compile(System.getProperty("java.class.path"))).isEmpty();
 * }</pre>
 *
 * <p>Immutable; the {@code with}-style methods return copies. Not for concurrent compilation of the
 * same instance into the same folder.
 */
public final class ReadmeSnippets {
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern DECLARATION = Pattern.compile("^(@|import |package |public )");

  private final Path file;
  private final List<String> blocks;
  private final List<String> imports;
  private final String method;

  private ReadmeSnippets(Path file, List<String> blocks, List<String> imports, String method) {
    this.file = file;
    this.blocks = blocks;
    this.imports = imports;
    this.method = method;
  }

  /** The java blocks of {@code markdown}. */
  public static ReadmeSnippets of(Path markdown) throws IOException {
    String text = Files.readString(markdown);
    Matcher m = BLOCK.matcher(text);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return new ReadmeSnippets(
        markdown, List.copyOf(blocks), List.of(), "static void snippet() throws Exception");
  }

  /**
   * Imports every block gets, e.g. {@code dev.hotconf.*} (without {@code import} and {@code ;}).
   */
  public ReadmeSnippets imports(String... imports) {
    List<String> all = new ArrayList<>(this.imports);
    all.addAll(List.of(imports));
    return new ReadmeSnippets(file, blocks, List.copyOf(all), method);
  }

  /**
   * The signature of the method a statement block becomes the body of, e.g. {@code static void
   * snippet(HotConfig config) throws Exception}: its parameters are in scope for the block.
   */
  public ReadmeSnippets method(String signature) {
    return new ReadmeSnippets(file, blocks, imports, Objects.requireNonNull(signature));
  }

  /** How many java blocks there are. */
  public int count() {
    return blocks.size();
  }

  /**
   * Compiles every block against {@code classPath}.
   *
   * @return the compiler's errors, naming the file and block; empty when all compile
   */
  public String compile(String classPath) throws IOException {
    List<JavaFileObject> units = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      units.add(unit(i + 1, blocks.get(i)));
    }
    if (units.isEmpty()) {
      return "";
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    Path out = Files.createTempDirectory("readme-snippets");
    boolean ok =
        compiler
            .getTask(
                errors,
                null,
                null,
                List.of("-classpath", classPath, "-d", out.toString(), "-proc:none", "-nowarn"),
                null,
                units)
            .call();
    return ok ? "" : file + ":\n" + errors;
  }

  private JavaFileObject unit(int n, String block) {
    StringBuilder head = new StringBuilder("package snippet").append(n).append(";\n");
    StringBuilder body = new StringBuilder();
    boolean declarations = false;
    boolean started = false;
    for (String line : block.split("\n", -1)) {
      String trimmed = line.strip();
      if (!started && (trimmed.isEmpty() || trimmed.startsWith("//"))) {
        body.append(line).append('\n');
        continue;
      }
      if (!started) {
        started = true;
        declarations = DECLARATION.matcher(trimmed).find();
      }
      if (declarations && trimmed.startsWith("import ")) {
        head.append(line).append('\n'); // a block's own imports go first
        body.append('\n'); // keep line numbers
      } else {
        body.append(line).append('\n');
      }
    }
    for (String i : imports) {
      head.append("import ").append(i).append(";\n");
    }
    String source =
        declarations
            ? head + body.toString()
            : head + "class Snippet" + n + " {\n  " + method + " {\n" + body + "\n  }\n}\n";
    String path = "snippet" + n + "/" + (declarations ? "Snippet" + n + "File" : "Snippet" + n);
    return new SimpleJavaFileObject(
        URI.create("string:///" + path + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
  }
}
