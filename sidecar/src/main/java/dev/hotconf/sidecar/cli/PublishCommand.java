package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigDiff;
import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.KeyChange;
import dev.hotconf.Redactor;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/*
 * Design: read the key (its value and ModifyIndex), validate the file exactly as an instance will
 * take it (the format the instances read the key with, config-core's parser, then the library's
 * pipeline with the same schema validator and strict mode the sidecar uses), and only then write,
 * with check-and-set on the ModifyIndex read first: a concurrent writer between the read and the
 * write makes the write fail (exit 5) instead of silently replacing what they published. The bytes
 * written are the file's own, never re-rendered.
 */

/** {@code hotconf publish}: validate a file, then write it to a Consul key with check-and-set. */
@Command(
    name = "publish",
    description = {
      "Validate FILE exactly as the instances will (same parser, schema and strict mode),",
      "then write it to a Consul key with check-and-set on the ModifyIndex it was compared with.",
      "--dry-run prints the difference with what Consul holds (secrets redacted) and writes nothing."
    })
public final class PublishCommand implements Callable<Integer>, ReadsStdin, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RedactOptions redact;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY",
      description = "The Consul key the instances read, e.g. config/orders/app.yaml.")
  String key;

  @Mixin DocumentOptions document;

  @Option(
      names = "--dry-run",
      description = "Validate and print the difference with Consul's current value; write nothing.")
  boolean dryRun;

  @Parameters(paramLabel = "FILE", description = "The configuration to publish (or - for stdin).")
  String file;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private InputStream stdin = System.in;
  private UnaryOperator<String> environment = System::getenv;

  /** Runs between reading the key and writing it: tests put a concurrent writer here. */
  Runnable afterRead = () -> {};

  @Override
  public void stdin(InputStream in) {
    this.stdin = in;
  }

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Redactor redactor = redact.redactor();
    DocumentCheck check =
        DocumentCheck.of(
            spec, key, file, document.type, document.schema, document.strict, redactor, stdin);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!check.valid()) {
      check.report(err, "published");
      return ExitCode.INVALID.code();
    }
    Input input = check.input();
    ConfigFormat format = input.format();
    byte[] bytes = check.bytes();
    ConfigObject candidate = check.content();
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      Optional<ConsulClient.Entry> current = client.get(key);
      long index = current.map(ConsulClient.Entry::modifyIndex).orElse(0L);
      if (current.isPresent() && Arrays.equals(current.get().value(), bytes)) {
        out.println(
            "unchanged: "
                + key
                + " already holds this content (ModifyIndex "
                + index
                + "); nothing written");
        out.flush();
        return ExitCode.OK.code();
      }
      if (dryRun) {
        return dryRun(out, format, current, candidate, bytes.length, redactor);
      }
      afterRead.run();
      if (!client.cas(key, bytes, index)) {
        long now = client.get(key).map(ConsulClient.Entry::modifyIndex).orElse(0L);
        throw new CliException(
            ExitCode.CONFLICT,
            "hotconf: conflict: "
                + key
                + " changed in Consul while publishing (ModifyIndex "
                + (index == 0 ? "none (absent)" : Long.toString(index))
                + " when read, "
                + (now == 0 ? "absent" : Long.toString(now))
                + " now): another writer published meanwhile; nothing was written."
                + " Review their change and publish again.");
      }
      long written =
          client
              .get(key)
              .filter(e -> Arrays.equals(e.value(), bytes))
              .map(ConsulClient.Entry::modifyIndex)
              .orElse(0L);
      out.println(
          "published "
              + input.display()
              + " to "
              + key
              + " ("
              + bytes.length
              + " bytes): ModifyIndex "
              + (index == 0 ? "(new key)" : Long.toString(index))
              + " -> "
              + (written == 0 ? "?" : Long.toString(written)));
      out.flush();
      return ExitCode.OK.code();
    } catch (ConsulException e) {
      throw ConsulOptions.failure("publish " + key, e);
    }
  }

  private int dryRun(
      PrintWriter out,
      ConfigFormat format,
      Optional<ConsulClient.Entry> current,
      ConfigObject candidate,
      int size,
      Redactor redactor) {
    ConfigObject before = ConfigObject.empty(ConfigOrigin.of("consul", key));
    if (current.isPresent()) {
      try {
        before =
            format.parse(
                current.get().value(),
                ConfigOrigin.of("consul", key),
                ParseLimits.defaults(),
                redactor);
      } catch (ConfigException e) {
        out.println(
            "note: the current value of "
                + key
                + " does not parse as "
                + format
                + "; showing every key as added");
      }
    }
    ConfigDiff diff = ConfigDiff.between(before, candidate, redactor);
    for (KeyChange change : diff.changes()) {
      // one line per change, whatever the key or value holds (the Consul value is anyone's)
      out.println(TerminalText.escape(change.toString()));
    }
    out.println(
        "dry run: valid; would write "
            + size
            + " bytes to "
            + key
            + (current.isPresent()
                ? " with check-and-set on ModifyIndex " + current.get().modifyIndex()
                : " (a new key)")
            + ", "
            + diff.changes().size()
            + (diff.changes().size() == 1 ? " change" : " changes")
            + "; nothing written");
    out.flush();
    return ExitCode.OK.code();
  }
}
