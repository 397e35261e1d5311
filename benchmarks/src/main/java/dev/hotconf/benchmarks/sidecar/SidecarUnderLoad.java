package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real executable under hostile load: {@code java -Xmx64m -jar hotconf.jar run} as a child
 * process while this program holds {@code idle} connections that send nothing, {@code slow}
 * connections that send a request head one byte per second (slowloris), and {@code polls} long
 * polls ({@code GET /v1/config?version=N&wait=5m}); connections the sidecar closes (request and
 * idle timeouts) are opened again at once, so the load stays on. Measured, each request on a new
 * connection (as a kubelet probe), one at a time: {@code /healthz} and {@code /v1/config} latency
 * without load (after warm-up) and under load; the sidecar's RSS, threads and heap under load; how
 * long one new version takes to reach every parked poll (from the file rename, file source debounce
 * 20 ms included, to this program's selector seeing the answer readable); and the time from SIGTERM
 * to exit with everything still open.
 *
 * <p>Arguments ({@code name=value}): {@code idle} (250), {@code slow} (250), {@code polls} (1000),
 * {@code samples} (1000), {@code jar} ({@code sidecar/target/hotconf.jar}), {@code xmx} (64m).
 */
public final class SidecarUnderLoad {
  private static final Pattern SERVING =
      Pattern.compile("serving version \\d+ on http://127\\.0\\.0\\.1:(\\d+)");

  /** Everything one run measured. Sizes in KiB. */
  public record Result(
      Latencies healthzIdle,
      Latencies configIdle,
      Latencies healthzLoaded,
      Latencies configLoaded,
      Latencies wakeAll,
      int loadOpen,
      long reconnects,
      long rssIdleKb,
      long rssLoadedKb,
      int threadsIdle,
      int threadsLoaded,
      double heapUsedLoadedKb,
      int pollsAnswered,
      double stopMs,
      int exitCode) {}

  private SidecarUnderLoad() {}

  public static void main(String[] args) throws Exception {
    Args.quiet();
    Args a = new Args(args, Set.of("idle", "slow", "polls", "samples", "jar", "xmx"));
    int idle = a.intValue("idle", 250);
    int slow = a.intValue("slow", 250);
    int polls = a.intValue("polls", 1000);
    int samples = a.intValue("samples", 1000);
    Path jar = Path.of(a.string("jar", "sidecar/target/hotconf.jar")).toAbsolutePath();
    String xmx = a.string("xmx", "64m");
    Result r = run(jar, xmx, idle, slow, polls, samples);
    System.out.printf(
        Locale.ROOT,
        "SidecarUnderLoad java -Xmx%s -jar %s; load: %d idle + %d slowloris connections (%d open"
            + " when measured, %d reopened after the sidecar closed them), %d parked long polls;"
            + " %d samples per row, each on a new connection%n",
        xmx,
        jar.getFileName(),
        idle,
        slow,
        r.loadOpen(),
        r.reconnects(),
        polls,
        samples);
    System.out.println(
        "| request | " + Latencies.header().lines().findFirst().orElse("").substring(2));
    System.out.println("|---|---|---|---|---|---|---|");
    System.out.println("| /healthz, no load " + r.healthzIdle().row());
    System.out.println("| /v1/config, no load " + r.configIdle().row());
    System.out.println("| /healthz, under load " + r.healthzLoaded().row());
    System.out.println("| /v1/config, under load " + r.configLoaded().row());
    System.out.println(
        "| new version -> every parked poll answered ("
            + r.pollsAnswered()
            + ") "
            + r.wakeAll().row());
    System.out.printf(
        Locale.ROOT,
        "RSS %.1f MiB idle, %.1f MiB under load; threads %d idle, %d under load; heap used under"
            + " load %.1f MiB; SIGTERM under load: exit %d after %.0f ms%n",
        r.rssIdleKb() / 1024.0,
        r.rssLoadedKb() / 1024.0,
        r.threadsIdle(),
        r.threadsLoaded(),
        r.heapUsedLoadedKb() / 1024,
        r.exitCode(),
        r.stopMs());
  }

  /** One run: start, measure without and with load, publish, SIGTERM. */
  public static Result run(Path jar, String xmx, int idle, int slow, int polls, int samples)
      throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar + " not found; build it first (./mvnw -B -q -DskipTests package)");
    }
    Path dir = Files.createTempDirectory("hotconf-sidecar-load");
    Process p = null;
    try {
      Path app = dir.resolve("app.yaml");
      Files.writeString(app, document(1));
      Files.writeString(
          dir.resolve("sidecar.yaml"),
          String.join(
              "\n",
              "sources:",
              "  - type: file",
              "    path: app.yaml",
              "    debounce: 20ms",
              "server:",
              "  listen: 127.0.0.1:0",
              "shutdown-grace: 10s",
              ""));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      p =
          new ProcessBuilder(
                  java,
                  "-Xmx" + xmx,
                  "-jar",
                  jar.toString(),
                  "run",
                  "--config",
                  dir.resolve("sidecar.yaml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out.log").toFile())
              .start();
      int port = awaitPort(p, dir.resolve("out.log"));
      long pid = p.pid();

      measure(port, "/healthz", Math.max(50, samples / 2)); // warm-up
      measure(port, "/v1/config", Math.max(50, samples / 2));
      Latencies healthzIdle = measure(port, "/healthz", samples);
      Latencies configIdle = measure(port, "/v1/config", samples);
      Map<String, String> statusIdle = SidecarFootprint.procStatus(pid);

      try (Load load = new Load(port, idle, slow, polls)) {
        load.start();
        load.awaitParked(Duration.ofSeconds(60));
        int open = load.open();
        Latencies healthzLoaded = measure(port, "/healthz", samples);
        Latencies configLoaded = measure(port, "/v1/config", samples);
        Map<String, String> statusLoaded = SidecarFootprint.procStatus(pid);
        Map<String, Double> gc = SidecarFootprint.jstat(pid);
        double heapUsed = gc.get("S0U") + gc.get("S1U") + gc.get("EU") + gc.get("OU");

        // one new version: how long until every parked poll has it
        load.expectVersion(2);
        Path tmp = dir.resolve(".app.yaml.tmp");
        Files.writeString(tmp, document(2));
        long written = System.nanoTime();
        Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        List<Long> answered = load.awaitAnswers(polls, Duration.ofSeconds(60));
        long[] wake = answered.stream().mapToLong(t -> t - written).toArray();

        long stopStart = System.nanoTime();
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("sidecar did not stop within 60 s of SIGTERM");
        }
        double stopMs = (System.nanoTime() - stopStart) / 1e6;
        return new Result(
            healthzIdle,
            configIdle,
            healthzLoaded,
            configLoaded,
            Latencies.of(wake),
            open,
            load.reconnects(),
            SidecarFootprint.kb(statusIdle.get("VmRSS")),
            SidecarFootprint.kb(statusLoaded.get("VmRSS")),
            Integer.parseInt(statusIdle.get("Threads").trim()),
            Integer.parseInt(statusLoaded.get("Threads").trim()),
            heapUsed,
            wake.length,
            stopMs,
            p.exitValue());
      }
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      SidecarHarness.deleteTree(dir);
    }
  }

  /** A config of about 4 KB: 100 keys in 10 sections. */
  static String document(int version) {
    StringBuilder sb = new StringBuilder("version: " + version + "\n");
    for (int s = 0; s < 10; s++) {
      sb.append("section").append(s).append(":\n");
      for (int k = 0; k < 10; k++) {
        sb.append("  key").append(k).append(": \"value ").append(s * 10 + k).append("\"\n");
      }
    }
    return sb.toString();
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("sidecar exited: " + Files.readString(log));
      }
      Matcher m = SERVING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("sidecar not serving within 60 s: " + Files.readString(log));
  }

  /** {@code n} requests, one at a time, each on a new connection: connect to the last byte. */
  static Latencies measure(int port, String path, int n) throws IOException {
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long[] nanos = new long[n];
    byte[] buf = new byte[16 * 1024];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try (Socket s = new Socket()) {
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        s.getOutputStream().write(request);
        InputStream in = s.getInputStream();
        int first = in.read(buf);
        if (first < 12 || buf[9] != '2') {
          throw new IOException(path + " answered: " + new String(buf, 0, Math.max(0, first)));
        }
        while (in.read(buf) >= 0) {
          // to the end
        }
      }
      nanos[i] = System.nanoTime() - t0;
    }
    return Latencies.of(nanos);
  }

  /**
   * The load: idle, slowloris and long-polling connections on one client selector thread, opened
   * again whenever the sidecar closes them.
   */
  static final class Load implements AutoCloseable {
    private static final Pattern LENGTH = Pattern.compile("Content-Length: (\\d+)");
    private static final Pattern VERSION = Pattern.compile("X-Config-Version: (\\d+)");

    private enum Kind {
      IDLE,
      SLOW,
      POLL
    }

    private static final class Client {
      final Kind kind;
      final SocketChannel channel;
      final ByteArrayOutputStream in = new ByteArrayOutputStream();
      long version = 1;

      Client(Kind kind, SocketChannel channel) {
        this.kind = kind;
        this.channel = channel;
      }
    }

    private final int port;
    private final int idle;
    private final int slow;
    private final int polls;
    private final Selector selector;
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger parked = new AtomicInteger();
    private final AtomicLong reconnects = new AtomicLong();
    private final List<Long> answers = new CopyOnWriteArrayList<>();
    private volatile long expected = Long.MAX_VALUE;
    private volatile boolean running = true;

    Load(int port, int idle, int slow, int polls) throws IOException {
      this.port = port;
      this.idle = idle;
      this.slow = slow;
      this.polls = polls;
      this.selector = Selector.open();
      this.thread = new Thread(this::loop, "load");
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    int open() {
      return open.get();
    }

    long reconnects() {
      return reconnects.get();
    }

    /** Waits until every connection is open and every poll has been sent. */
    void awaitParked(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (parked.get() < polls || open.get() < idle + slow + polls) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "load not up: " + open.get() + " open, " + parked.get() + " polls");
        }
        Thread.sleep(10);
      }
      Thread.sleep(1000); // let the sidecar read and park the last polls
    }

    void expectVersion(long version) {
      expected = version;
    }

    List<Long> awaitAnswers(int n, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (answers.size() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      return new ArrayList<>(answers);
    }

    private void loop() {
      try {
        for (int i = 0; i < polls; i++) {
          connect(Kind.POLL);
        }
        for (int i = 0; i < idle; i++) {
          connect(Kind.IDLE);
        }
        for (int i = 0; i < slow; i++) {
          connect(Kind.SLOW);
        }
        long nextTrickle = System.nanoTime();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (running) {
          selector.select(100);
          long seen = System.nanoTime(); // when these answers became readable, before our work
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            readable((Client) key.attachment(), buf, seen);
          }
          if (System.nanoTime() - nextTrickle >= 0) {
            nextTrickle = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (SelectionKey key : List.copyOf(selector.keys())) {
              Client c = (Client) key.attachment();
              if (c.kind == Kind.SLOW && key.isValid()) {
                try {
                  c.channel.write(ByteBuffer.wrap(new byte[] {'x'}));
                } catch (IOException e) {
                  reopen(c);
                }
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          throw new IllegalStateException(e);
        }
      }
    }

    private void connect(Kind kind) throws IOException {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.configureBlocking(false);
      Client c = new Client(kind, ch);
      ch.register(selector, SelectionKey.OP_READ, c);
      open.incrementAndGet();
      switch (kind) {
        case SLOW -> write(ch, "GET /v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        case POLL -> {
          write(ch, poll(c.version));
          parked.incrementAndGet();
        }
        default -> {
          // sends nothing
        }
      }
    }

    private static String poll(long after) {
      return "GET /v1/config?version=" + after + "&wait=5m HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private static void write(SocketChannel ch, String s) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    private void readable(Client c, ByteBuffer buf, long seen) {
      try {
        buf.clear();
        int n = c.channel.read(buf);
        if (n < 0 || (n > 0 && c.kind != Kind.POLL)) {
          reopen(c); // closed, or answered (408): the load goes on
          return;
        }
        c.in.write(buf.array(), 0, n);
        String text = c.in.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        Matcher len = LENGTH.matcher(text);
        int length = len.find() && len.start() < end ? Integer.parseInt(len.group(1)) : 0;
        if (text.length() < end + 4 + length) {
          return;
        }
        Matcher v = VERSION.matcher(text);
        long version = v.find() ? Long.parseLong(v.group(1)) : c.version;
        if (version >= expected) {
          answers.add(seen);
        }
        c.in.reset();
        String rest = text.substring(end + 4 + length);
        c.in.write(rest.getBytes(StandardCharsets.ISO_8859_1));
        c.version = version;
        write(c.channel, poll(c.version));
      } catch (IOException e) {
        reopen(c);
      }
    }

    private void reopen(Client c) {
      try {
        c.channel.close();
      } catch (IOException e) {
        // closing anyway
      }
      open.decrementAndGet();
      if (c.kind == Kind.POLL) {
        parked.decrementAndGet();
      }
      if (!running) {
        return;
      }
      reconnects.incrementAndGet();
      try {
        connect(c.kind);
      } catch (IOException e) {
        // the sidecar is stopping, or refuses: counted as not open
      }
    }

    @Override
    public void close() throws IOException {
      running = false;
      selector.wakeup();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    }
  }
}
