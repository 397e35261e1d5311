package dev.hotconf.sidecar.run;

import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.settings.Assembly;
import dev.hotconf.source.ConfigSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The sidecar as a process: from its checked settings ({@link SidecarSettings#load}), reads the
 * server token, refuses unsafe binds, starts the {@link Publisher} (HTTP server, then the config),
 * waits for SIGTERM/SIGINT and stops within the grace. The CLI's {@code run} command drives it;
 * tests and benchmarks drive it in-process.
 *
 * <p>{@link #start}, {@link #shutdown} and {@link #close} are called from one thread; {@link
 * #requestStop} from any.
 */
public final class SidecarProcess implements AutoCloseable {
  private final Assembly<SidecarSettings> assembly;
  private final SidecarSettings settings;
  private final Path file;
  private final boolean insecureBind;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch stop = new CountDownLatch(1);
  private Publisher publisher;
  private InetSocketAddress address;
  private volatile boolean started;

  /** A problem with the sidecar's own settings (exit 2). */
  public static final class UsageProblem extends Exception {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A process for {@code assembly} (which it then owns: {@link #close} closes it).
   *
   * @param file the settings file, for messages
   * @param insecureBind allow a non-loopback listen without a token ({@code --insecure-bind})
   */
  public SidecarProcess(
      Assembly<SidecarSettings> assembly,
      Path file,
      boolean insecureBind,
      PrintWriter out,
      PrintWriter err) {
    this.assembly = assembly;
    this.settings = assembly.settings();
    this.file = file;
    this.insecureBind = insecureBind || settings.server().insecureBind();
    this.out = out;
    this.err = err;
  }

  /**
   * Reads {@code file} ({@link SidecarSettings#load}) into a process, not started.
   *
   * @throws IOException when the file cannot be read
   * @throws dev.hotconf.ConfigException listing every problem of the settings
   */
  public static SidecarProcess load(
      Path file, boolean insecureBind, PrintWriter out, PrintWriter err) throws IOException {
    return new SidecarProcess(SidecarSettings.load(file), file, insecureBind, out, err);
  }

  /** The settings it runs with. */
  public SidecarSettings settings() {
    return settings;
  }

  /** Starts everything; returns once the first snapshot is live and pushed to the workers. */
  public void start() throws UsageProblem {
    String token = serverToken();
    InetSocketAddress listen = settings.server().listenAddress();
    if (token == null && !listen.getAddress().isLoopbackAddress() && !insecureBind) {
      throw new UsageProblem(
          file
              + ": server.listen: refusing to serve "
              + listen.getAddress().getHostAddress()
              + " (not loopback) without server.token-file; pass --insecure-bind to allow it",
          null);
    }
    publisher = new Publisher(settings.targets());
    HistorySettings history = settings.history();
    publisher.keepHistory(
        history.size(),
        history.maxBytes().bytes(),
        history.pinFileOr(settings.config().lastKnownGood()).orElse(null));
    ConsulAcknowledger acks = acknowledger();
    try {
      address = publisher.startServer(listen, token);
    } catch (IOException e) {
      if (acks != null) {
        acks.close();
      }
      throw new UsageProblem(
          file + ": server.listen: cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    if (acks == null) {
      publisher.start(assembly.builder());
    } else {
      // the first consul source is tracked: records carry the Consul index of what runs
      ConfigSource tracked = ConsulAcknowledger.firstConsulSource(assembly.sources()).orElse(null);
      publisher.acknowledgeWith(acks);
      publisher.start(assembly.builder(s -> s == tracked ? acks.track(s) : s));
    }
    started = true;
    out.println(
        "hotconf: serving version "
            + publisher.hotConfig().version()
            + " on http://"
            + address.getHostString()
            + ":"
            + address.getPort());
    out.flush();
  }

  /** The acknowledger the {@code fleet:} section asks for, or null without one. */
  private ConsulAcknowledger acknowledger() throws UsageProblem {
    if (settings.fleet().isEmpty()) {
      return null;
    }
    try {
      return ConsulAcknowledger.create(
          settings
              .fleet()
              .get()
              .toConfig(
                  ConsulAcknowledger.firstConsulSource(assembly.sources()),
                  file.toAbsolutePath().normalize().toString(),
                  "hotconf-sidecar",
                  System::getenv)
              .build());
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": fleet." + e.getMessage(), e);
    }
  }

  private String serverToken() throws UsageProblem {
    if (settings.server().tokenFile().isEmpty()) {
      return null;
    }
    Path tokenFile = settings.server().tokenFile().get();
    try {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new UsageProblem(tokenFile + ": server token file is empty", null);
      }
      return token;
    } catch (IOException e) {
      throw new UsageProblem(
          tokenFile + ": cannot read server token file: " + e.getClass().getSimpleName(), e);
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
    err.println("hotconf: stopping (grace " + settings.shutdownGrace().toSeconds() + "s)");
    err.flush();
    if (publisher != null) {
      publisher.shutdown(settings.shutdownGrace());
    }
    assembly.close();
  }

  /** Where the HTTP API listens (after {@link #start}). */
  public InetSocketAddress address() {
    return address;
  }

  /** The publisher (after {@link #start}). */
  public Publisher publisher() {
    return publisher;
  }

  /** Stops everything at once; closes the sources even if {@link #start} never built a config. */
  @Override
  public void close() {
    if (publisher != null) {
      publisher.close();
    }
    assembly.close();
  }
}
