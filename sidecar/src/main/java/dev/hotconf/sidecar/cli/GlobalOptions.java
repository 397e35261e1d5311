package dev.hotconf.sidecar.cli;

import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class GlobalOptions {
  @Option(names = "--stacktrace", description = "Print stack traces of errors (for bug reports).")
  boolean stacktrace;
}
