package dev.hotconf.sidecar.run;

import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.consul.rollout.RolloutSettings;
import dev.hotconf.settings.Assembly;
import dev.hotconf.sidecar.filetarget.Reloader;
import dev.hotconf.sidecar.internal.BoundedRead;
import dev.hotconf.sidecar.internal.http.HttpServerConfig;
import dev.hotconf.sidecar.internal.http.PemTls;
import dev.hotconf.source.ConfigSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
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
    ServerSettings server = settings.server();
    String token = serverToken();
    SSLContext tls = tls();
    InetSocketAddress listen = server.listenAddress();
    if (!listen.getAddress().isLoopbackAddress() && !insecureBind) {
      if (token == null) {
        throw new UsageProblem(
            file
                + ": server.listen: refusing to serve "
                + listen.getAddress().getHostAddress()
                + " (not loopback) without server.token-file; pass --insecure-bind to allow it",
            null);
      }
      if (tls == null) {
        throw new UsageProblem(
            file
                + ": server.listen: refusing to serve "
                + listen.getAddress().getHostAddress()
                + " (not loopback) over plain HTTP: the token and the configuration would cross"
                + " the network in clear; set server.tls-cert-file and server.tls-key-file, or pass"
                + " --insecure-bind to allow it",
            null);
      }
    }
    if (settings.targets().stream().anyMatch(TargetSettings::reloadsBySignal)
        && Reloader.findKill(System.getenv("PATH")).isEmpty()) {
      throw new UsageProblem(
          file
              + ": targets: a reload by signal needs the kill program on PATH (procps or"
              + " util-linux); none was found",
          null);
    }
    for (int i = 0; i < settings.targets().size(); i++) {
      Optional<Path> template = settings.targets().get(i).template();
      // the folder is watched for edits; a missing template file is that target's render error
      if (template.isPresent()
          && !Files.isDirectory(template.get().toAbsolutePath().normalize().getParent())) {
        throw new UsageProblem(
            file
                + ": targets["
                + i
                + "].template: the folder of "
                + template.get()
                + " does not exist (it is watched for edits)",
            null);
      }
    }
    warnIfReadableByOthers(server.tokenFile(), "server.token-file");
    warnIfReadableByOthers(server.tlsKeyFile(), "server.tls-key-file");
    HttpServerConfig http =
        HttpServerConfig.builder()
            .listen(listen)
            .tls(tls)
            .maxConnections(server.maxConnections())
            .requestTimeout(server.requestTimeout())
            .idleTimeout(server.idleTimeout())
            .build();
    publisher = new Publisher(settings.targets());
    assembly.guard().ifPresent(publisher::guard);
    HistorySettings history = settings.history();
    publisher.keepHistory(
        history.size(),
        history.maxBytes().bytes(),
        history.pinFileOr(settings.config().lastKnownGood()).orElse(null));
    ConsulAcknowledger acks = acknowledger();
    try {
      address = publisher.startServer(http, token);
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
      RolloutFollower follower;
      try {
        follower = follower(acks, tracked);
      } catch (UsageProblem e) {
        acks.close();
        publisher.close();
        throw e;
      }
      if (follower == null) {
        publisher.start(assembly.builder(s -> s == tracked ? acks.track(s) : s));
      } else {
        // staged rollouts: the tracked source delivers the stable version or the candidate
        publisher.followRolloutsWith(follower);
        publisher.start(assembly.builder(s -> s == tracked ? follower.track((ConsulSource) s) : s));
      }
    }
    started = true;
    out.println(
        "hotconf: serving version "
            + publisher.hotConfig().version()
            + (tls == null ? " on http://" : " on https://")
            + address.getHostString()
            + ":"
            + address.getPort());
    out.flush();
  }

  /**
   * The staged-rollout follower of the {@code fleet:} section: null when {@code follow-rollouts} is
   * false or no consul source is tracked. Health: {@code health-url}, then the push targets (a
   * target that fails with the candidate makes the instance unhealthy).
   */
  private RolloutFollower follower(ConsulAcknowledger acks, ConfigSource tracked)
      throws UsageProblem {
    RolloutSettings r = settings.fleet().orElseThrow().rollouts();
    if (!r.followRollouts() || !(tracked instanceof ConsulSource consul)) {
      return null;
    }
    if (consul.config().shape() != dev.hotconf.consul.ConsulSourceConfig.Shape.KEY) {
      throw new UsageProblem(
          file
              + ": fleet.follow-rollouts: staged rollouts need the first consul source to read one"
              + " key (key:), not a prefix; set follow-rollouts: false",
          null);
    }
    try {
      return RolloutFollower.create(
          acks, r.toConfig(List.of(new TargetsHealth(publisher))).build());
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": fleet." + e.getMessage(), e);
    }
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
      String token =
          new String(
                  BoundedRead.readFile(tokenFile, BoundedRead.TOKEN_LIMIT, "the token file limit"),
                  StandardCharsets.UTF_8)
              .trim();
      if (token.isEmpty()) {
        throw new UsageProblem(tokenFile + ": server token file is empty", null);
      }
      return token;
    } catch (IOException e) {
      // never the exception's message alone: it could quote what was read; ours says the limit
      String why =
          e instanceof BoundedRead.TooLargeException
              ? e.getMessage()
              : e.getClass().getSimpleName();
      throw new UsageProblem(tokenFile + ": cannot read server token file: " + why, e);
    }
  }

  private SSLContext tls() throws UsageProblem {
    ServerSettings server = settings.server();
    if (server.tlsCertFile().isEmpty() || server.tlsKeyFile().isEmpty()) {
      return null;
    }
    try {
      return PemTls.serverContext(server.tlsCertFile().get(), server.tlsKeyFile().get());
    } catch (IOException e) {
      throw new UsageProblem(
          file
              + ": server.tls-cert-file / tls-key-file: cannot read "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new UsageProblem(file + ": server TLS: " + e.getMessage(), e);
    }
  }

  /** Secrets in files others may read: warned about, not refused (the folder may protect them). */
  private void warnIfReadableByOthers(Optional<Path> file, String key) {
    if (file.isEmpty()) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file.get());
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)) {
        err.println(
            "hotconf: warning: "
                + key
                + " "
                + file.get()
                + " can be read by other users ("
                + PosixFilePermissions.toString(perms)
                + "); make it readable by its owner only: chmod 600 "
                + file.get());
        err.flush();
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system, or unreadable (reported where it is read)
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
