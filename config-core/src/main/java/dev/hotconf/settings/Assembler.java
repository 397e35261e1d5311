package dev.hotconf.settings;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.bind.Binder;
import dev.hotconf.bind.Bound;
import dev.hotconf.bind.Inline;
import dev.hotconf.internal.PathSyntax;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;
import dev.hotconf.validate.SchemaProvider;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/*
 * Design: the one path from settings to a HotConfig, for every front-end. assemble() binds the
 * front-end's record (HotConfigSettings, or a record that @Inlines it next to keys of its own) with
 * the strict binder, hands each source entry to the SourceProvider its `type` names, and loads the
 * schema through the SchemaProvider; every problem of all three steps is collected and reported in
 * one ConfigException, sorted by position, before anything starts. Source entries are handed to
 * their providers even when other keys are wrong (the binder only checks that `sources` is a list
 * of objects), so a typo in `start-timeout` and a bad Consul `wait` show up together. Providers and
 * the schema support are found with ServiceLoader (config-core knows neither files, Consul nor JSON
 * Schema), or given explicitly.
 */

/**
 * Turns settings into a {@link dev.hotconf.HotConfig.Builder}: binds them, creates every source
 * through its {@link SourceProvider} and the schema validator through a {@link SchemaProvider},
 * reporting every problem at once.
 *
 * <pre>{@code
 * ConfigObject root = ConfigFormat.YAML.parse(bytes, ConfigOrigin.ofFile("settings", file));
 * try (Assembly<HotConfigSettings> assembly =
 *     Assembler.defaults().assemble(root, "", HotConfigSettings.class)) {
 *   HotConfig config = assembly.builder().name("app").build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with} methods return copies. Arguments must not be null.
 */
public final class Assembler {
  private final Redactor redactor;
  private final UnaryOperator<String> environment;
  private final ClassLoader classLoader;
  private final List<SourceProvider> sourceProviders;
  private final SchemaProvider schemaProvider;

  private Assembler(
      Redactor redactor,
      UnaryOperator<String> environment,
      ClassLoader classLoader,
      List<SourceProvider> sourceProviders,
      SchemaProvider schemaProvider) {
    this.redactor = redactor;
    this.environment = environment;
    this.classLoader = classLoader;
    this.sourceProviders = sourceProviders;
    this.schemaProvider = schemaProvider;
  }

  /**
   * Default redaction, the process environment, and providers found with {@link ServiceLoader}
   * through the thread's context class loader (else this class's).
   */
  public static Assembler defaults() {
    return new Assembler(Redactor.defaults(), System::getenv, null, null, null);
  }

  /** Redacts secret values in problems with {@code redactor}. */
  public Assembler withRedactor(Redactor redactor) {
    return new Assembler(
        Objects.requireNonNull(redactor, "redactor"),
        environment,
        classLoader,
        sourceProviders,
        schemaProvider);
  }

  /** Looks environment variables up with {@code environment} (null for unset). */
  public Assembler withEnvironment(UnaryOperator<String> environment) {
    return new Assembler(
        redactor,
        Objects.requireNonNull(environment, "environment"),
        classLoader,
        sourceProviders,
        schemaProvider);
  }

  /** Finds providers with {@link ServiceLoader} through {@code classLoader}. */
  public Assembler withClassLoader(ClassLoader classLoader) {
    return new Assembler(
        redactor,
        environment,
        Objects.requireNonNull(classLoader, "classLoader"),
        sourceProviders,
        schemaProvider);
  }

  /** Uses exactly these source providers instead of looking them up. */
  public Assembler withSourceProviders(List<? extends SourceProvider> providers) {
    return new Assembler(
        redactor, environment, classLoader, List.copyOf(providers), schemaProvider);
  }

  /** Uses this schema support instead of looking it up. */
  public Assembler withSchemaProvider(SchemaProvider provider) {
    return new Assembler(
        redactor,
        environment,
        classLoader,
        sourceProviders,
        Objects.requireNonNull(provider, "provider"));
  }

  /** The strict binder settings are read with (unknown keys are problems). */
  public Binder binder() {
    return Binder.strict().withRedactor(redactor);
  }

  /**
   * Binds {@code node}, the settings at {@code key} ({@code ""} for a whole file, {@code "hotconf"}
   * for a framework's {@code hotconf.*}), to {@code type}, and creates the sources and validators
   * they name, none started.
   *
   * @param type {@link HotConfigSettings}, or a record with an {@link Inline} {@link
   *     HotConfigSettings} component beside keys of its own
   * @throws ConfigException listing every problem, sorted by position; nothing is left open
   * @throws IllegalArgumentException when {@code type} is neither of the above
   * @throws IllegalStateException when two source providers claim the same type
   */
  public <T extends Record> Assembly<T> assemble(ConfigObject node, String key, Class<T> type) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(key, "key");
    Function<T, HotConfigSettings> shared = locate(type);
    List<Problem> problems = new ArrayList<>();
    Bound<T> bound = binder().tryBind(node, key, type);
    problems.addAll(bound.problems());
    List<ConfigSource> sources = createSources(node, key, problems);
    List<Validator> validators = new ArrayList<>();
    HotConfigSettings settings = bound.ok() ? shared.apply(bound.value()) : null;
    if (settings != null && settings.schema().isPresent()) {
      Validator v = loadSchema(settings, node, key, problems);
      if (v != null) {
        validators.add(v);
      }
    }
    if (!problems.isEmpty()) {
      sources.forEach(ConfigSource::close);
      throw new ConfigException(sorted(problems));
    }
    return new Assembly<>(bound.value(), settings, sources, validators);
  }

  @SuppressWarnings("unchecked")
  private static <T> Function<T, HotConfigSettings> locate(Class<T> type) {
    if (type == HotConfigSettings.class) {
      return t -> (HotConfigSettings) t;
    }
    if (type.isRecord()) {
      for (RecordComponent rc : type.getRecordComponents()) {
        if (rc.getType() == HotConfigSettings.class && rc.isAnnotationPresent(Inline.class)) {
          Method accessor = rc.getAccessor();
          accessor.setAccessible(true);
          return t -> {
            try {
              return (HotConfigSettings) accessor.invoke(t);
            } catch (IllegalAccessException | InvocationTargetException e) {
              throw new IllegalStateException("cannot read " + rc, e);
            }
          };
        }
      }
    }
    throw new IllegalArgumentException(
        type.getName()
            + " is not HotConfigSettings nor a record with an @Inline HotConfigSettings");
  }

  private List<ConfigSource> createSources(ConfigObject node, String key, List<Problem> problems) {
    List<ConfigSource> out = new ArrayList<>();
    if (!(node.get("sources") instanceof ConfigList list)) {
      return out; // absent or not a list: the binder has reported it
    }
    Map<String, SourceProvider> providers = sourceProviders();
    String expected = String.join(", ", providers.keySet());
    String sourcesKey = PathSyntax.child(key, "sources");
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof ConfigObject entry)) {
        continue; // reported by the binder
      }
      String entryKey = PathSyntax.child(sourcesKey, i);
      String typeKey = PathSyntax.child(entryKey, "type");
      ConfigNode typeNode = entry.get("type");
      if (typeNode == null || typeNode instanceof ConfigScalar s && s.isNull()) {
        problems.add(
            Problem.at(typeKey, entry.origin(), "is required (a source type: " + expected + ")"));
        continue;
      }
      SourceProvider provider =
          typeNode instanceof ConfigScalar s && s.value() instanceof String name
              ? providers.get(name)
              : null;
      if (provider == null) {
        problems.add(
            Problem.at(
                typeKey,
                typeNode.origin(),
                "expected a source type ("
                    + (providers.isEmpty() ? "no source providers on the class path" : expected)
                    + ") but found "
                    + redactor.display(typeKey, typeNode)));
        continue;
      }
      SourceContext context =
          SourceContext.of(entryKey).withBinder(binder()).withEnvironment(environment);
      try {
        out.add(Objects.requireNonNull(provider.create(entry, context), "source"));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    return out;
  }

  private Map<String, SourceProvider> sourceProviders() {
    Iterable<SourceProvider> found =
        sourceProviders != null
            ? sourceProviders
            : ServiceLoader.load(SourceProvider.class, loader());
    Map<String, SourceProvider> out = new TreeMap<>();
    for (SourceProvider p : found) {
      SourceProvider other = out.putIfAbsent(p.type(), p);
      if (other != null && other.getClass() != p.getClass()) {
        throw new IllegalStateException(
            "two source providers for type '"
                + p.type()
                + "': "
                + other.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return out;
  }

  private Validator loadSchema(
      HotConfigSettings settings, ConfigObject node, String key, List<Problem> problems) {
    Path file = settings.schema().orElseThrow();
    String schemaKey = PathSyntax.child(key, "schema");
    ConfigNode schemaNode = node.get("schema");
    ConfigOrigin at = schemaNode != null ? schemaNode.origin() : node.origin();
    SchemaProvider provider = schemaProvider;
    if (provider == null) {
      Iterator<SchemaProvider> it = ServiceLoader.load(SchemaProvider.class, loader()).iterator();
      if (!it.hasNext()) {
        problems.add(
            Problem.at(
                schemaKey,
                at,
                "no schema support on the class path (add hotconf's config-schema module)"));
        return null;
      }
      provider = it.next();
    }
    try {
      return provider.load(file, settings.strict());
    } catch (IOException e) {
      problems.add(
          Problem.at(schemaKey, at, "cannot read " + file + ": " + e.getClass().getSimpleName()));
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    } catch (IllegalArgumentException e) {
      problems.add(Problem.at(schemaKey, at, "cannot use " + file + ": " + e.getMessage()));
    }
    return null;
  }

  private ClassLoader loader() {
    if (classLoader != null) {
      return classLoader;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Assembler.class.getClassLoader();
  }

  /** By location, line and column; problems without a position keep their order, first. */
  private static List<Problem> sorted(List<Problem> problems) {
    List<Problem> out = new ArrayList<>(problems);
    out.sort(
        Comparator.comparing((Problem p) -> p.origin() == null ? "" : p.origin().location())
            .thenComparingInt(p -> p.origin() == null ? 0 : p.origin().line())
            .thenComparingInt(p -> p.origin() == null ? 0 : p.origin().column()));
    return out;
  }
}
