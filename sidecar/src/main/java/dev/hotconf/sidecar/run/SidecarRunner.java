package dev.hotconf.sidecar.run;

import dev.hotconf.sidecar.schema.JsonSchemaValidator;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Runs a sidecar from its parsed configuration: reads tokens, refuses unsafe binds, builds sources
 * and the schema validator, starts the server and the pipeline, and waits for SIGTERM/SIGINT.
 */
public final class SidecarRunner implements AutoCloseable {
  private final SidecarConfig config;
  private final boolean insecureBind;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch stop = new CountDownLatch(1);
  private Sidecar sidecar;
  private InetSocketAddress address;
  private volatile boolean started;

  /** A problem with the sidecar's own settings (exit 2). */
  public static final class UsageProblem extends Exception {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public SidecarRunner(
      SidecarConfig config, boolean insecureBind, PrintWriter out, PrintWriter err) {
    this.config = config;
    this.insecureBind = insecureBind || config.server().insecureBind();
    this.out = out;
    this.err = err;
  }

  /** Starts everything; returns once the first snapshot is live and pushed to the workers. */
  public void start() throws UsageProblem {
    String token = serverToken();
    InetSocketAddress listen = config.server().listen();
    if (token == null && !listen.getAddress().isLoopbackAddress() && !insecureBind) {
      throw new UsageProblem(
          config.file()
              + ": server.listen: refusing to serve "
              + listen.getAddress().getHostAddress()
              + " (not loopback) without server.token-file; pass --insecure-bind to allow it",
          null);
    }
    List<Validator> validators = new ArrayList<>();
    if (config.schema() != null) {
      try {
        validators.add(JsonSchemaValidator.fromFile(config.schema()).strict(config.strictSchema()));
      } catch (RuntimeException | IOException e) {
        throw new UsageProblem(config.schema() + ": cannot use the schema: " + e.getMessage(), e);
      }
    }
    List<ConfigSource> sources;
    try {
      sources = SourceFactory.create(config);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage(), e);
    }
    sidecar = new Sidecar(config);
    try {
      address = sidecar.startServer(null, token);
    } catch (IOException e) {
      throw new UsageProblem(
          config.file() + ": server.listen: cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    sidecar.start(sources, validators);
    started = true;
    out.println(
        "hotconf: serving version "
            + sidecar.hotConfig().version()
            + " on http://"
            + address.getHostString()
            + ":"
            + address.getPort());
    out.flush();
  }

  private String serverToken() throws UsageProblem {
    if (config.server().tokenFile() == null) {
      return null;
    }
    try {
      String token = Files.readString(config.server().tokenFile(), StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new UsageProblem(config.server().tokenFile() + ": server token file is empty", null);
      }
      return token;
    } catch (IOException e) {
      throw new UsageProblem(
          config.server().tokenFile()
              + ": cannot read server token file: "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  /**
   * Makes SIGTERM and SIGINT release {@link #awaitStopSignal()} instead of ending the JVM at once
   * (the CLI calls this; embedders keep their own handlers).
   */
  public void installSignalHandlers() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              if (started) {
                stop.countDown();
              } else {
                System.exit(128 + s.getNumber()); // still starting: nothing to finish gracefully
              }
            });
      } catch (IllegalArgumentException e) {
        // signal not available on this platform
      }
    }
  }

  /** Blocks until SIGTERM/SIGINT (or {@link #requestStop()}). */
  public void awaitStopSignal() {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void requestStop() {
    stop.countDown();
  }

  /** Stops accepting, finishes pushes in flight within the grace period, stops everything. */
  public void shutdown() {
    err.println("hotconf: stopping (grace " + config.shutdownGrace().toSeconds() + "s)");
    err.flush();
    if (sidecar != null) {
      sidecar.shutdown(config.shutdownGrace());
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public Sidecar sidecar() {
    return sidecar;
  }

  @Override
  public void close() {
    if (sidecar != null) {
      sidecar.close();
    }
  }
}
