package dev.hotconf.sidecar.cli;

import java.util.function.UnaryOperator;

/**
 * A command that reads environment variables ({@code CONSUL_HTTP_ADDR}, ...): tests supply them.
 */
interface UsesEnvironment {
  void environment(UnaryOperator<String> environment);
}
