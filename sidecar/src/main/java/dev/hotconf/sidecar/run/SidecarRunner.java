package dev.hotconf.sidecar.run;

import dev.hotconf.sidecar.internal.http.HttpServerConfig;
import dev.hotconf.sidecar.internal.http.PemTls;
import dev.hotconf.sidecar.schema.JsonSchemaValidator;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
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
    SidecarConfig.Server server = config.server();
    String token = serverToken();
    SSLContext tls = tls();
    InetSocketAddress listen = server.listen();
    if (!listen.getAddress().isLoopbackAddress() && !insecureBind) {
      if (token == null) {
        throw new UsageProblem(
            config.file()
                + ": server.listen: refusing to serve "
                + listen.getAddress().getHostAddress()
                + " (not loopback) without server.token-file; pass --insecure-bind to allow it",
            null);
      }
      if (tls == null) {
        throw new UsageProblem(
            config.file()
                + ": server.listen: refusing to serve "
                + listen.getAddress().getHostAddress()
                + " (not loopback) over plain HTTP: the token and the configuration would cross"
                + " the network in clear; set server.tls-cert-file and server.tls-key-file, or pass"
                + " --insecure-bind to allow it",
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
      address = sidecar.startServer(http, token);
    } catch (IOException e) {
      throw new UsageProblem(
          config.file() + ": server.listen: cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    sidecar.start(sources, validators);
    started = true;
    out.println(
        "hotconf: serving version "
            + sidecar.hotConfig().version()
            + (tls == null ? " on http://" : " on https://")
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

  private SSLContext tls() throws UsageProblem {
    SidecarConfig.Server server = config.server();
    if (server.tlsCertFile() == null || server.tlsKeyFile() == null) {
      return null;
    }
    try {
      return PemTls.serverContext(server.tlsCertFile(), server.tlsKeyFile());
    } catch (IOException e) {
      throw new UsageProblem(
          config.file()
              + ": server.tls-cert-file / tls-key-file: cannot read "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new UsageProblem(config.file() + ": server TLS: " + e.getMessage(), e);
    }
  }

  /** Secrets in files others may read: warned about, not refused (the folder may protect them). */
  private void warnIfReadableByOthers(Path file, String key) {
    if (file == null) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)) {
        err.println(
            "hotconf: warning: "
                + key
                + " "
                + file
                + " can be read by other users ("
                + PosixFilePermissions.toString(perms)
                + "); make it readable by its owner only: chmod 600 "
                + file);
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
