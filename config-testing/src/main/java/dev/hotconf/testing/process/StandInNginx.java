package dev.hotconf.testing.process;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/*
 * Design: a real process with nginx's command-line shape, for tests, benchmarks and the README
 * example where nginx is not installed. It parses nginx's configuration syntax (directives, blocks,
 * quotes, comments) and checks one directive's value (listen's port) so that a check can refuse a
 * file for a real reason. Run mode loads at start and on every SIGHUP, keeps the old config when
 * the new one is invalid (as nginx does), and reports each load on stdout and in a report file.
 */

/**
 * A stand-in for nginx: checks, serves (reloading on SIGHUP) and reloads nginx-style configuration
 * files, as separate processes. Usage:
 *
 * <pre>
 * StandInNginx -t -c FILE                                  # check: exit 0, or 1 with "[emerg] ..."
 * StandInNginx -c FILE --pid-file PID [--report REPORT]    # run: write PID, load FILE, reload on HUP
 * StandInNginx -s reload -c FILE --pid-file PID            # check FILE, then send HUP to PID
 * </pre>
 *
 * <p>{@code -s reload} behaves like {@code systemctl reload nginx} with {@code ExecReload=nginx -t
 * && kill -HUP}: a bad file is exit 1 and no signal. Each load is reported as one line, {@code
 * loaded sha256=<hex> listen=<ports>} (or {@code reload-failed <message>}), on stdout and appended
 * to the report file. The signal is sent by running the {@code kill} program (no shell).
 */
public final class StandInNginx {
  private StandInNginx() {}

  /** A configuration file that did not parse; the message is nginx-like. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** What a valid file holds: its hash and the ports of its listen directives. */
  public record Loaded(String sha256, List<String> listen) {
    /** The report line. */
    public String line() {
      return "loaded sha256=" + sha256 + " listen=" + String.join(",", listen);
    }
  }

  public static void main(String[] args) throws Exception {
    boolean test = false;
    String signal = null;
    Path file = null;
    Path pidFile = null;
    Path report = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-t" -> test = true;
        case "-c" -> file = Path.of(args[++i]);
        case "-s" -> signal = args[++i];
        case "--pid-file" -> pidFile = Path.of(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        default -> usage("unknown option " + args[i]);
      }
    }
    if (file == null) {
      usage("-c FILE is required");
    }
    PrintStream out = System.out;
    if (test) {
      try {
        load(file);
        out.println("nginx: the configuration file " + file + " syntax is ok");
        System.exit(0);
      } catch (Invalid e) {
        out.println(e.getMessage());
        System.exit(1);
      }
    }
    if (signal != null) {
      if (!signal.equals("reload") || pidFile == null) {
        usage("-s reload needs --pid-file");
      }
      try {
        load(file);
      } catch (Invalid e) {
        out.println(e.getMessage());
        System.exit(1);
      }
      String pid = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
      Process kill = new ProcessBuilder("kill", "-s", "HUP", pid).inheritIO().start();
      System.exit(kill.waitFor());
    }
    if (pidFile == null) {
      usage("run mode needs --pid-file");
    }
    serve(file, pidFile, report);
  }

  private static void serve(Path file, Path pidFile, Path report) throws Exception {
    Loaded first;
    try {
      first = load(file);
    } catch (Invalid e) {
      System.out.println(e.getMessage());
      System.exit(1);
      return;
    }
    Object lock = new Object();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(
        new Signal("HUP"),
        s -> {
          synchronized (lock) {
            try {
              report(report, load(file).line());
            } catch (Invalid e) {
              report(report, "reload-failed " + e.getMessage().replace('\n', ' '));
            } catch (IOException e) {
              report(report, "reload-failed " + e);
            }
          }
        });
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
    Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, pidFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    // reported once the pid file is in place: the first line means ready for signals
    synchronized (lock) {
      report(report, first.line());
    }
    stop.await();
    Files.deleteIfExists(pidFile);
    System.exit(0);
  }

  private static void report(Path report, String line) {
    System.out.println(line);
    System.out.flush();
    if (report != null) {
      try {
        Files.writeString(
            report,
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("cannot write report: " + e);
      }
    }
  }

  private static void usage(String why) {
    System.err.println("StandInNginx: " + why);
    System.err.println(
        "usage: StandInNginx -t -c FILE | -c FILE --pid-file PID [--report REPORT]"
            + " | -s reload -c FILE --pid-file PID");
    System.exit(2);
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws Invalid with nginx's wording ({@code nginx: [emerg] ... in FILE:LINE})
   */
  public static Loaded load(Path file) throws Invalid, IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Invalid(
          "nginx: [emerg] open() \"" + file + "\" failed (" + e.getClass().getSimpleName() + ")");
    }
    List<String> listen = parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    return new Loaded(sha256(bytes), listen);
  }

  /** Parses nginx syntax; returns the listen values. */
  static List<String> parse(String text, String name) throws Invalid {
    List<String> listen = new ArrayList<>();
    List<String> words = new ArrayList<>();
    int depth = 0;
    int line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == ';' || c == '{') {
        if (words.isEmpty()) {
          throw new Invalid("nginx: [emerg] unexpected \"" + c + "\" in " + name + ":" + line);
        }
        if (c == ';' && words.get(0).equals("listen")) {
          if (words.size() < 2) {
            throw new Invalid(
                "nginx: [emerg] invalid number of arguments in \"listen\" directive in "
                    + name
                    + ":"
                    + line);
          }
          String v = words.get(1);
          String port = v.contains(":") ? v.substring(v.lastIndexOf(':') + 1) : v;
          int p;
          try {
            p = Integer.parseInt(port);
          } catch (NumberFormatException e) {
            p = -1;
          }
          if (p < 1 || p > 65535) {
            throw new Invalid(
                "nginx: [emerg] invalid port in \""
                    + v
                    + "\" of the \"listen\" directive in "
                    + name
                    + ":"
                    + line);
          }
          listen.add(v);
        }
        if (c == '{') {
          depth++;
        }
        words.clear();
        i++;
      } else if (c == '}') {
        if (depth == 0 || !words.isEmpty()) {
          throw new Invalid("nginx: [emerg] unexpected \"}\" in " + name + ":" + line);
        }
        depth--;
        i++;
      } else if (c == '"' || c == '\'') {
        StringBuilder w = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new Invalid(
                "nginx: [emerg] unexpected end of file, expecting \""
                    + c
                    + "\" in "
                    + name
                    + ":"
                    + line);
          }
          char d = text.charAt(i);
          if (d == '\\' && i + 1 < n) {
            char e = text.charAt(i + 1);
            w.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
            i += 2;
          } else if (d == c) {
            i++;
            break;
          } else {
            if (d == '\n') {
              line++;
            }
            w.append(d);
            i++;
          }
        }
        words.add(w.toString());
      } else {
        int start = i;
        while (i < n
            && !Character.isWhitespace(text.charAt(i))
            && ";{}\"'#".indexOf(text.charAt(i)) < 0) {
          i++;
        }
        words.add(text.substring(start, i));
      }
    }
    if (!words.isEmpty() || depth > 0) {
      throw new Invalid(
          "nginx: [emerg] unexpected end of file, expecting \""
              + (depth > 0 ? "}" : ";")
              + "\" in "
              + name
              + ":"
              + line);
    }
    return listen;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
