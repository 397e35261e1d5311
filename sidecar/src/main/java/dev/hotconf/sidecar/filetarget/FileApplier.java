package dev.hotconf.sidecar.filetarget;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.Redactor;
import dev.hotconf.sidecar.filetarget.ApplyException.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: one version goes through render -> temp file -> check -> swap -> reload, and any stage
 * that fails leaves the last good file in place:
 * - render: a fixed format or the template (re-read on every apply and recompiled when its text
 *   changed, so the watcher only has to trigger an apply). Output equal to the last write is
 *   skipped: the hash of the last write is the comparison, the target itself is never read. The
 *   hash of the template bytes the last render read is kept for templateChanged(): the watcher
 *   sees every event in the template's folder, the target's own temporary files included, and only
 *   a template whose content differs from that read may make a version due again (else a refused
 *   check would run again on its own temporary file's events, without end).
 * - temp file in the target's folder with the target's mode set before any byte is written,
 *   fsync; the check command runs on it ({file}), in the target's folder.
 * - swap: the file being replaced is kept by a hard link (never opened or read: the target may be
 *   a FIFO or a link to /dev/zero) for the restore and, when asked, as the backup; then rename and
 *   fsync of the folder.
 * - reload; on failure the kept link is renamed back (or the new file removed when there was
 *   none), the folder fsynced, and the reload run again, all reported in one message.
 * Called by the target's one worker thread.
 */

/**
 * Applies versions of the configuration to one file: renders them (a {@link FileFormat} or a {@link
 * TemplateRenderer template}), checks the rendered temporary file with a command, swaps it in
 * atomically and durably, and reloads the process that reads it, restoring the previous file when
 * the reload fails. Not thread-safe: one worker thread calls {@link #apply}; {@link
 * #templateChanged} may be called from any thread.
 */
public final class FileApplier {
  private static final Logger LOG = LoggerFactory.getLogger(FileApplier.class);

  /** The largest template file read. */
  public static final int MAX_TEMPLATE_BYTES = 1024 * 1024;

  /** Owner read/write only: the default {@code mode}. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  /**
   * What a file target does.
   *
   * @param file the target file
   * @param format the output format, when there is no template
   * @param template the template file, or null
   * @param check the check command's argv ({@code {file}} is the rendered temporary file), or empty
   * @param checkTimeout how long the check may take
   * @param mode the file's permissions
   * @param backup where to keep the replaced file, or null
   * @param reload how to reload the process, or null
   */
  public record Spec(
      Path file,
      FileFormat format,
      Path template,
      List<String> check,
      Duration checkTimeout,
      Set<PosixFilePermission> mode,
      Path backup,
      Reloader reload) {
    public Spec {
      file = file.toAbsolutePath().normalize();
      Objects.requireNonNull(format, "format");
      check = List.copyOf(check);
      Objects.requireNonNull(checkTimeout, "checkTimeout");
      mode = Set.copyOf(mode);
      template = template == null ? null : template.toAbsolutePath().normalize();
      backup = backup == null ? null : backup.toAbsolutePath().normalize();
    }

    /** A JSON file written owner-only, with nothing else (the sidecar's original file target). */
    public static Spec json(Path file) {
      return new Spec(
          file, FileFormat.JSON, null, List.of(), Duration.ofSeconds(30), OWNER_ONLY, null, null);
    }
  }

  /**
   * What {@link #apply} did.
   *
   * @param written whether the file was replaced (false: the output equals the last write)
   * @param note something status should say although nothing failed (the process was not running),
   *     or null
   * @param timings how long each step took (zeros when nothing was written)
   */
  public record Applied(boolean written, String note, Timings timings) {
    /** How long the check command took (zero without one). */
    public Duration checkTime() {
      return timings.check();
    }
  }

  /**
   * How long each step of one apply took: render (and hash), write (temp file and its fsync), check
   * (the command), swap (keep, backup, rename, folder fsync), reload (the signal or command).
   */
  public record Timings(
      Duration render, Duration write, Duration check, Duration swap, Duration reload) {
    static final Timings NONE =
        new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  private final Spec spec;
  private final CommandRunner runner;
  private final Redactor redactor;
  private final boolean posix;
  private TemplateRenderer compiled;
  private String lastWrittenHash;

  /** SHA-256 of the template bytes the last render read; UNREADABLE, or null before any. */
  private volatile String lastTemplateRead;

  private static final String UNREADABLE = "unreadable";

  public FileApplier(Spec spec, CommandRunner runner, Redactor redactor) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  public Spec spec() {
    return spec;
  }

  /**
   * Applies {@code snapshot}: renders, checks, swaps and reloads, unless the rendered bytes equal
   * the last ones written.
   *
   * @return whether the file was replaced, and a note for status
   * @throws ApplyException naming the stage that failed; the last good file is in place
   */
  public Applied apply(ConfigSnapshot snapshot) throws ApplyException, InterruptedException {
    return apply(snapshot.root(), snapshot.version());
  }

  /**
   * Applies the configuration {@code root} as version {@code version} ({@code HOTCONF_VERSION} for
   * the commands): what the sidecar serves, which may be a pinned older configuration under a newer
   * served version.
   *
   * @return whether the file was replaced, and a note for status
   * @throws ApplyException naming the stage that failed; the last good file is in place
   */
  public Applied apply(ConfigObject root, long version)
      throws ApplyException, InterruptedException {
    long t0 = System.nanoTime();
    SecretScrubber scrub = SecretScrubber.of(root, redactor);
    byte[] bytes = render(root, scrub);
    String hash = sha256(bytes);
    if (hash.equals(lastWrittenHash)) {
      return new Applied(false, null, Timings.NONE);
    }
    long t1 = System.nanoTime();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOTCONF_TARGET", spec.file().toString());
    env.put("HOTCONF_VERSION", Long.toString(version));
    Path dir = spec.file().getParent();
    Path tmp = null;
    Path kept = null;
    boolean existed;
    try {
      try {
        Files.createDirectories(dir);
        tmp = Files.createTempFile(dir, "." + spec.file().getFileName() + ".", ".tmp");
        if (posix) {
          Files.setPosixFilePermissions(tmp, spec.mode());
        }
        write(tmp, bytes);
      } catch (IOException e) {
        throw new ApplyException(
            Stage.SWAP, "cannot write " + dir + ": " + describe(e), true, null, e);
      }
      long t2 = System.nanoTime();
      if (!spec.check().isEmpty()) {
        check(tmp, env, scrub);
      }
      long t3 = System.nanoTime();
      try {
        existed = Files.exists(spec.file(), LinkOption.NOFOLLOW_LINKS);
        if (existed && spec.backup() != null) {
          backup();
        }
        if (existed && spec.reload() != null) {
          kept = keep();
        }
        lastWrittenHash = null; // unknown until the swap has fully succeeded
        move(tmp, spec.file());
        tmp = null;
        syncFolder(dir);
      } catch (IOException e) {
        throw new ApplyException(
            Stage.SWAP, "cannot replace " + spec.file() + ": " + describe(e), true, null, e);
      }
      long t4 = System.nanoTime();
      String note = null;
      if (spec.reload() != null) {
        env.put("HOTCONF_FILE", spec.file().toString());
        note = reload(kept, existed, env, scrub);
      }
      long t5 = System.nanoTime();
      lastWrittenHash = hash;
      return new Applied(
          true,
          note,
          new Timings(
              Duration.ofNanos(t1 - t0),
              Duration.ofNanos(t2 - t1),
              Duration.ofNanos(t3 - t2),
              Duration.ofNanos(t4 - t3),
              Duration.ofNanos(t5 - t4)));
    } finally {
      deleteQuietly(tmp);
      deleteQuietly(kept);
    }
  }

  private byte[] render(ConfigObject root, SecretScrubber scrub) throws ApplyException {
    try {
      if (spec.template() == null) {
        return spec.format().render(root);
      }
      String text = readTemplate();
      if (compiled == null || !compiled.text().equals(text)) {
        compiled = null;
        compiled = TemplateRenderer.compile(spec.template(), text);
      }
      return compiled.render(root, scrub);
    } catch (RenderException e) {
      throw new ApplyException(Stage.RENDER, scrub.apply(e.getMessage()), false, null, e);
    }
  }

  private String readTemplate() throws RenderException {
    byte[] bytes;
    try {
      bytes = readTemplateBytes();
    } catch (NotARegularFile e) {
      lastTemplateRead = UNREADABLE;
      throw new RenderException(spec.template() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      lastTemplateRead = UNREADABLE;
      throw new RenderException(
          spec.template() + ": cannot read the template: " + e.getClass().getSimpleName(), e);
    }
    lastTemplateRead = sha256(bytes);
    if (bytes.length > MAX_TEMPLATE_BYTES) {
      throw new RenderException(
          spec.template() + ": the template is larger than " + MAX_TEMPLATE_BYTES + " bytes");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RenderException(spec.template() + ": the template is not valid UTF-8", e);
    }
  }

  private void check(Path tmp, Map<String, String> env, SecretScrubber scrub)
      throws ApplyException, InterruptedException {
    List<String> argv = new ArrayList<>(spec.check().size());
    for (String a : spec.check()) {
      argv.add(a.replace("{file}", tmp.toString()));
    }
    Map<String, String> checkEnv = new LinkedHashMap<>(env);
    checkEnv.put("HOTCONF_FILE", tmp.toString());
    String what = String.join(" ", spec.check());
    CommandRunner.Result r;
    try {
      r = runner.run(argv, tmp.getParent(), spec.checkTimeout(), checkEnv);
    } catch (IOException e) {
      throw new ApplyException(
          Stage.CHECK,
          "check " + what + ": cannot run: " + scrub.apply(e.getMessage()),
          true,
          null,
          e);
    }
    if (!r.ok()) {
      String out = scrub.apply(r.output().strip()) + (r.truncated() ? "\n(output truncated)" : "");
      throw new ApplyException(
          Stage.CHECK,
          "check "
              + what
              + " refused the rendered file: "
              + r.outcome()
              + (out.isBlank() ? "" : ": " + firstLine(out)),
          r.timedOut(),
          out,
          null);
    }
  }

  /** Reloads; returns a note for status when the process was not running. */
  private String reload(Path kept, boolean existed, Map<String, String> env, SecretScrubber scrub)
      throws ApplyException, InterruptedException {
    Reloader reloader = spec.reload();
    try {
      reloader.reload(runner, spec.file(), env, scrub);
      return null;
    } catch (Reloader.NotRunning notRunning) {
      // nothing runs on the previous file: the new one is read when the process starts
      return "not reloaded: "
          + notRunning.getMessage()
          + " (the process reads the file when it starts)";
    } catch (Reloader.ReloadException first) {
      String output = first.result().map(r -> scrub.apply(r.output().strip())).orElse(null);
      String failed = "reload (" + reloader.describe() + ") failed: " + first.getMessage();
      if (!existed) {
        // nothing to go back to: removing the new file would help no process
        throw new ApplyException(
            Stage.RELOAD, failed + "; there was no previous file to restore", true, output, first);
      }
      if (kept == null) {
        throw new ApplyException(
            Stage.RELOAD,
            failed
                + "; the previous file could not be kept (no hard links here), so it was not restored",
            true,
            output,
            first);
      }
      try {
        move(kept, spec.file());
        syncFolder(spec.file().getParent());
      } catch (IOException e) {
        throw new ApplyException(
            Stage.RELOAD,
            failed + "; restoring the previous file failed too: " + describe(e),
            true,
            output,
            first);
      }
      String again;
      try {
        reloader.reload(runner, spec.file(), env, scrub);
        again = "and reloaded";
      } catch (Reloader.ReloadException second) {
        again = "but reloading it failed too: " + second.getMessage();
      }
      LOG.warn("file target {}: {}; the previous file was restored {}", spec.file(), failed, again);
      throw new ApplyException(
          Stage.RELOAD, failed + "; the previous file was restored " + again, true, output, first);
    }
  }

  /** Hard-links the current file to a hidden name beside it, for the restore. */
  private Path keep() throws IOException {
    Path dir = spec.file().getParent();
    Path link = dir.resolve("." + spec.file().getFileName() + "." + System.nanoTime() + ".prev");
    try {
      Files.createLink(link, spec.file());
      return link;
    } catch (UnsupportedOperationException | IOException e) {
      LOG.warn(
          "file target {}: cannot keep the previous file for a restore ({})",
          spec.file(),
          describe(e));
      return null;
    }
  }

  /** Keeps the file being replaced at {@code backup}: a hard link where possible, else a copy. */
  private void backup() throws IOException {
    Path backup = spec.backup();
    Path dir = backup.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + backup.getFileName() + "." + System.nanoTime() + ".tmp");
    try {
      try {
        Files.createLink(tmp, spec.file());
      } catch (UnsupportedOperationException | IOException e) {
        if (!Files.isRegularFile(spec.file(), LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("the backup needs a hard link or a regular file to copy", e);
        }
        Files.copy(spec.file(), tmp, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
      }
      move(tmp, backup);
      tmp = null;
      syncFolder(dir);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes renames durable (Linux, macOS); a no-op where folders cannot be opened. */
  static void syncFolder(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (UnsupportedOperationException e) {
      // Windows cannot open a folder; NTFS journals the rename itself
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.debug("cannot delete {}: {}", p, e.toString());
      }
    }
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** At most MAX_TEMPLATE_BYTES + 1 bytes of the template; never opens a FIFO or a device. */
  private byte[] readTemplateBytes() throws IOException {
    return readRegularFile(spec.template(), MAX_TEMPLATE_BYTES + 1);
  }

  /**
   * At most {@code limit} bytes of {@code file}, which must be a regular file after links: opening
   * a FIFO blocks until a writer comes (the worker would hang), and a device such as {@code
   * /dev/zero} never ends.
   */
  static byte[] readRegularFile(Path file, int limit) throws IOException {
    if (!Files.isRegularFile(file)) {
      if (Files.exists(file)) {
        throw new NotARegularFile("is not a regular file");
      }
      throw new NoSuchFileException(file.toString());
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(limit);
    }
  }

  /** Something other than a regular file (a FIFO, a device, a folder) where a file is read. */
  static final class NotARegularFile extends IOException {
    private static final long serialVersionUID = 1L;

    NotARegularFile(String message) {
      super(message);
    }
  }

  /**
   * Whether the template's content now differs from what the last render read (true before the
   * first render, and when the template became readable or unreadable since). Reads the template;
   * called by the template watcher's thread, concurrently with {@link #apply}.
   */
  public boolean templateChanged() {
    if (spec.template() == null) {
      return false;
    }
    String now;
    try {
      now = sha256(readTemplateBytes());
    } catch (IOException e) {
      now = UNREADABLE;
    }
    return !now.equals(lastTemplateRead);
  }

  /** The template the target renders, if any (for the watcher). */
  public Optional<Path> template() {
    return Optional.ofNullable(spec.template());
  }
}
