package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * Design: the verdict comes from the library's pipeline itself: a HotConfig whose only source
 * delivers the document and whose validators are the instances' validators, so merging, the
 * validators, problem collection and redaction are exactly what an instance does with the same
 * content. A last validator records the problems of that pass. A rejected first version would make
 * build() wait out its start timeout, so after a rejection the source delivers an empty document
 * for which the validators are switched off: build() returns at once and the check is closed.
 */

/**
 * Runs a parsed document through the library's own pipeline, as a running instance (the sidecar, or
 * an application on HotConfig) takes it from its source, with the same validators: whatever the
 * pipeline would reject (validators, the schema, strict mode) comes back as problems.
 */
final class PipelineCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private PipelineCheck() {}

  /**
   * Every problem the pipeline finds in {@code root}; empty when an instance would take it.
   * Messages hide what {@code redactor} hides.
   */
  static List<Problem> problems(ConfigObject root, List<Validator> validators, Redactor redactor) {
    CompletableFuture<List<Problem>> verdict = new CompletableFuture<>();
    Candidate source = new Candidate(root);
    HotConfig.Builder b =
        HotConfig.builder()
            .name("publish-check")
            .source(source)
            .redactor(redactor)
            .startTimeout(TIMEOUT);
    for (Validator v : validators) {
      b.validate(
          ctx -> {
            if (!source.released) {
              v.validate(ctx);
            }
          });
    }
    b.validate(
        ctx -> {
          if (!source.released) {
            verdict.complete(List.copyOf(ctx.problems()));
          }
        });
    CompletableFuture<Void> built =
        CompletableFuture.runAsync(
            () -> {
              try (HotConfig done = b.build()) {
                verdict.complete(List.of());
              } catch (ConfigStartupException e) {
                verdict.complete(e.problems());
              }
            });
    try {
      List<Problem> problems = verdict.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!problems.isEmpty()) {
        source.release();
      }
      built.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return problems;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.INTERNAL, "hotconf: interrupted while validating", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException(ExitCode.INTERNAL, "hotconf: validation did not finish: " + e, e);
    }
  }

  /** Delivers the document; after {@link #release()}, an empty one the validators let through. */
  private static final class Candidate implements ConfigSource {
    private final ConfigObject root;
    private volatile SourceListener listener;
    volatile boolean released;

    Candidate(ConfigObject root) {
      this.root = root;
    }

    @Override
    public String name() {
      return "candidate";
    }

    @Override
    public void start(SourceListener listener) {
      this.listener = listener;
      listener.onContent(root);
    }

    void release() {
      released = true;
      listener.onContent(ConfigObject.empty(ConfigOrigin.of("candidate", "(released)")));
    }

    @Override
    public void close() {}
  }
}
