package dev.hotconf.sidecar.filetarget;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.attributes.methodaccess.MethodAccessValidator;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.extension.AbstractNodeVisitor;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.extension.NodeVisitorFactory;
import io.pebbletemplates.pebble.extension.escaper.EscapeFilter;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.node.PrintNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Design: Pebble (see the README's "Templates" for why not JMustache), locked down:
 * - strict variables: an undefined variable or key is an error, never an empty string;
 * - no Java methods: the model is plain maps, lists and scalars, and the method-access validator
 *   refuses every method except Map.Entry's getKey/getValue (what `{% for e in map %}` needs), so
 *   `{{ x.getClass() }}` or `{{ s.bytes }}` fail instead of reaching into the JVM;
 * - one file: the loader serves only this template's text, so include/extends/import cannot read
 *   other files (the watched file is the whole template);
 * - escaping on by default with the `line` strategy (values may not add lines); other strategies
 *   per expression or block, or `| raw`;
 * - what is written is what comes out: no newline trimming after tags (Pebble's default would
 *   join `# comment {{ x }}` with the next line); trim with `{%-` and `-%}` where wanted;
 * - bounded output (maxRenderedSize).
 * Pebble reports errors with a line but no column: the column is where the offending name first
 * appears on that line inside a tag, else where the line's first tag opens, else 1.
 */

/**
 * A compiled {@code template:} of a file target: renders the merged configuration (its top-level
 * keys are the template's variables) to bytes. Immutable and thread-safe once compiled.
 */
public final class TemplateRenderer {
  /** The largest output a template may produce. */
  public static final int MAX_RENDERED_CHARS = 16 * 1024 * 1024;

  /** The line of the {@code {{ }}} being printed on this thread (0: none), see LineMarking. */
  private static final ThreadLocal<Integer> PRINTING_LINE = ThreadLocal.withInitial(() -> 0);

  private static final Pattern TAG_OPEN = Pattern.compile("\\{[{%]");
  private static final Pattern INCLUDE =
      Pattern.compile("\\{%-?\\s*(include|extends|import|from|embed)\\b");

  private final Path file;
  private final String text;
  private final PebbleTemplate template;

  private TemplateRenderer(Path file, String text, PebbleTemplate template) {
    this.file = file;
    this.text = text;
    this.template = template;
  }

  /**
   * Compiles {@code text}, the content of {@code file} (named in errors).
   *
   * @throws RenderException a syntax error at the template's file:line:col
   */
  public static TemplateRenderer compile(Path file, String text) throws RenderException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
    String name = file.toString();
    PebbleEngine engine =
        new PebbleEngine.Builder()
            .loader(new OneTemplateLoader(name, text))
            .strictVariables(true)
            .newLineTrimming(false)
            .methodAccessValidator(new EntryOnlyAccess())
            .autoEscaping(true)
            .registerExtensionCustomizer(LineNumberedEscaping::new)
            .cacheActive(false)
            .maxRenderedSize(MAX_RENDERED_CHARS)
            .build();
    try {
      return new TemplateRenderer(file, text, engine.getTemplate(name));
    } catch (PebbleException e) {
      throw error(file, text, e, UnaryOperator.identity());
    }
  }

  /** The template's file. */
  public Path file() {
    return file;
  }

  /** The template's text, as compiled. */
  public String text() {
    return text;
  }

  /**
   * Renders {@code root}.
   *
   * @param scrub hides secret values in error messages
   * @throws RenderException an undefined variable, a refused value, ... at the template's
   *     file:line:col
   */
  public byte[] render(ConfigObject root, UnaryOperator<String> scrub) throws RenderException {
    StringWriter out = new StringWriter();
    PRINTING_LINE.set(0);
    try {
      template.evaluate(out, model(root));
    } catch (PebbleException e) {
      throw error(file, text, e, scrub);
    } catch (IOException e) {
      throw new RenderException(file + ": cannot render: " + e.getClass().getSimpleName(), e);
    } catch (RuntimeException e) {
      // a filter given the wrong type (Pebble's messages may quote the value: scrubbed)
      int line = PRINTING_LINE.get();
      String at = line > 0 ? file + ":" + line + ":" + column(text, line, null) : file.toString();
      throw new RenderException(
          at + ": cannot render: " + scrub.apply(String.valueOf(e.getMessage())), e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The template's variables: the configuration as maps, lists and scalars, without null values (a
   * null counts as absent, as everywhere in hotconf, so strict variables catch it).
   */
  static Map<String, Object> model(ConfigObject obj) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
      Object v = plain(e.getValue());
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private static Object plain(ConfigNode node) {
    if (node instanceof ConfigObject o) {
      return model(o);
    }
    if (node instanceof ConfigList l) {
      List<Object> out = new ArrayList<>(l.size());
      for (ConfigNode n : l.elements()) {
        out.add(plain(n));
      }
      return out;
    }
    return ((ConfigScalar) node).value();
  }

  private static RenderException error(
      Path file, String text, PebbleException e, UnaryOperator<String> scrub) {
    // Pebble wraps what a filter or escaping strategy threw; the innermost PebbleException with a
    // line is the most precise
    PebbleException best = e;
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof PebbleException p && p.getLineNumber() != null) {
        best = p;
      }
    }
    Integer line = best.getLineNumber() != null ? best.getLineNumber() : e.getLineNumber();
    String message;
    String name = null;
    if (best instanceof RootAttributeNotFoundException r) {
      name = r.getAttributeName();
      message = "undefined variable '" + name + "'";
    } else if (best instanceof AttributeNotFoundException a) {
      name = a.getAttributeName();
      message = "no key or item '" + name + "' there (or not accessible)";
    } else if (best instanceof LoaderException) {
      message = "a template cannot include, import or extend other files";
      if (line == null) {
        line = lineOf(text, INCLUDE);
      }
    } else {
      Throwable root = best;
      while (root.getCause() != null && !(root instanceof ValueRefused)) {
        root = root.getCause();
      }
      message =
          root instanceof ValueRefused v ? v.getMessage() : scrub.apply(best.getPebbleMessage());
    }
    String at = file.toString();
    if (line != null && line > 0) {
      at += ":" + line + ":" + column(text, line, name);
    }
    return new RenderException(at + ": " + message, e);
  }

  /** The first line (1-based) where {@code p} matches, or null. */
  private static Integer lineOf(String text, Pattern p) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (p.matcher(lines[i]).find()) {
        return i + 1;
      }
    }
    return null;
  }

  /** The column (1-based) of {@code name} on {@code line} inside a tag, else of its first tag. */
  static int column(String text, int line, String name) {
    String[] lines = text.split("\n", -1);
    if (line > lines.length) {
      return 1;
    }
    String l = lines[line - 1];
    Matcher open = TAG_OPEN.matcher(l);
    int firstTag = open.find() ? open.start() : -1;
    if (name != null && firstTag >= 0) {
      Matcher m =
          Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])")
              .matcher(l);
      while (m.find()) {
        if (m.start() > firstTag) {
          return m.start() + 1;
        }
      }
    }
    return firstTag >= 0 ? firstTag + 1 : 1;
  }

  /** Thrown by an escaping strategy that refuses a value; its message quotes no value. */
  static final class ValueRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValueRefused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Only Map.Entry's key and value and the {@code loop} variable's getters: everything else a
   * template could call is refused.
   */
  private static final class EntryOnlyAccess implements MethodAccessValidator {
    @Override
    public boolean isMethodAccessAllowed(Object object, Method method) {
      if (method.getParameterCount() != 0) {
        return false;
      }
      if (object instanceof Map.Entry<?, ?>) {
        return method.getName().equals("getKey") || method.getName().equals("getValue");
      }
      return object
              .getClass()
              .getName()
              .equals("io.pebbletemplates.pebble.node.ForNode$LoopVariables")
          && !method.getDeclaringClass().equals(Object.class);
    }
  }

  /**
   * Replaces Pebble's {@code escape} filter (which automatic escaping also calls) by one with the
   * same strategies that gives a refused value the template's name and line: Pebble leaves them out
   * for exceptions thrown by an escaping strategy.
   */
  private static final class LineNumberedEscaping extends ExtensionCustomizer {
    LineNumberedEscaping(Extension delegate) {
      super(delegate);
    }

    private boolean isEscaper() {
      Map<String, Filter> filters = super.getFilters();
      return filters != null && filters.get("escape") instanceof EscapeFilter;
    }

    @Override
    public Map<String, Filter> getFilters() {
      Map<String, Filter> filters = super.getFilters();
      if (!isEscaper()) {
        return filters;
      }
      Map<String, Filter> out = new LinkedHashMap<>(filters);
      out.put("escape", new NumberedEscapeFilter());
      return out;
    }

    @Override
    public List<NodeVisitorFactory> getNodeVisitors() {
      List<NodeVisitorFactory> visitors = super.getNodeVisitors();
      if (!isEscaper()) {
        return visitors;
      }
      List<NodeVisitorFactory> out = new ArrayList<>(visitors == null ? List.of() : visitors);
      out.add(t -> new LineMarking((PebbleTemplateImpl) t));
      return out;
    }
  }

  /**
   * Wraps every printed expression (after automatic escaping wrapped it) so that evaluating it
   * records its line: the escape filter Pebble's automatic escaping adds is called without one.
   */
  private static final class LineMarking extends AbstractNodeVisitor {
    LineMarking(PebbleTemplateImpl template) {
      super(template);
    }

    @Override
    public void visit(PrintNode node) {
      Expression<?> inner = node.getExpression();
      if (!(inner instanceof Lined)) {
        node.setExpression(new Lined(inner, node.getLineNumber()));
      }
    }
  }

  private record Lined(Expression<?> inner, int line) implements Expression<Object> {
    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      PRINTING_LINE.set(line);
      return inner.evaluate(self, context);
    }

    @Override
    public int getLineNumber() {
      return line;
    }

    @Override
    public void accept(NodeVisitor visitor) {
      inner.accept(visitor);
    }
  }

  /** Pebble's escape filter with hotconf's strategies; refusals carry the line. */
  private static final class NumberedEscapeFilter extends EscapeFilter {
    NumberedEscapeFilter() {
      addEscapingStrategy(Escapes.LINE, Escapes::line);
      addEscapingStrategy(Escapes.QUOTED, Escapes::quoted);
      addEscapingStrategy(Escapes.SHELL, FileFormat::shellQuote);
      addEscapingStrategy(Escapes.YAML, Escapes::yaml);
      addEscapingStrategy(Escapes.JSON, Escapes::json);
      addEscapingStrategy(Escapes.NONE, s -> s);
      setDefaultStrategy(Escapes.LINE);
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int lineNumber) {
      try {
        return super.apply(input, args, self, context, lineNumber);
      } catch (ValueRefused e) {
        int line = lineNumber > 0 ? lineNumber : PRINTING_LINE.get();
        throw new PebbleException(e, e.getMessage(), line > 0 ? line : null, self.getName());
      }
    }
  }

  /** Serves one template's text by its name; any other name is an error. */
  private static final class OneTemplateLoader implements Loader<String> {
    private final String name;
    private final String text;

    OneTemplateLoader(String name, String text) {
      this.name = name;
      this.text = text;
    }

    @Override
    public Reader getReader(String cacheKey) {
      if (!name.equals(cacheKey)) {
        throw new LoaderException(null, "a template cannot include, import or extend other files");
      }
      return new StringReader(text);
    }

    @Override
    public void setCharset(String charset) {}

    @Override
    public void setPrefix(String prefix) {}

    @Override
    public void setSuffix(String suffix) {}

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
      return relativePath;
    }

    @Override
    public String createCacheKey(String templateName) {
      return templateName;
    }

    @Override
    public boolean resourceExists(String templateName) {
      return name.equals(templateName);
    }
  }
}
