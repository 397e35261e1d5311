package dev.hotconf.sidecar;

import dev.hotconf.sidecar.cli.HotconfCommand;

/** Entry point of {@code hotconf.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(HotconfCommand.execute(args));
  }
}
