package dev.hotconf.file;

import dev.hotconf.parse.ConfigFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads what is on disk now: one file, or the fragments of a folder. Never throws for I/O: every
 * outcome is a {@link Result}. Stateless and thread-safe. Never logs content.
 */
final class Observer {
  private static final int READ_ATTEMPTS = 3;

  private Observer() {}

  /** The file behind a path: real path, {@code fileKey} (inode), size and mtime. */
  record Identity(Path real, Object fileKey, long size, FileTime modified) {
    static Identity of(Path real, BasicFileAttributes a) {
      return new Identity(real, a.fileKey(), a.size(), a.lastModifiedTime());
    }
  }

  /** The outcome of reading one path. */
  sealed interface Result permits Content, Missing, Failed {}

  /**
   * Bytes read. {@code stable}: size, mtime and file key were the same before and after reading and
   * match the bytes read (no writer was caught in the act).
   */
  record Content(byte[] bytes, String sha256, Identity identity, boolean stable)
      implements Result {}

  record Missing(String reason) implements Result {}

  record Failed(String message) implements Result {}

  /** A folder's fragments by name, in lexical order; or why the folder itself could not be read. */
  record Listing(Result folder, SortedMap<String, Result> fragments) {
    boolean stable() {
      return fragments.values().stream().allMatch(r -> !(r instanceof Content c) || c.stable());
    }
  }

  /** Reads {@code path} (following symbolic links), retrying a few times if a writer is active. */
  static Result readFile(Path path, int maxBytes) {
    Result r = readOnce(path, maxBytes);
    for (int i = 1; i < READ_ATTEMPTS && r instanceof Content c && !c.stable(); i++) {
      Thread.onSpinWait();
      r = readOnce(path, maxBytes);
    }
    return r;
  }

  private static Result readOnce(Path path, int maxBytes) {
    try {
      if (!Files.exists(path)) {
        return missing(path);
      }
      Path real = path.toRealPath();
      BasicFileAttributes before = Files.readAttributes(real, BasicFileAttributes.class);
      if (before.isDirectory()) {
        return new Failed("is a directory, expected a file");
      }
      if (!before.isRegularFile()) {
        return new Failed("is not a regular file");
      }
      if (before.size() > maxBytes) {
        return new Failed(tooLarge(before.size(), maxBytes));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(real)) {
        bytes = in.readNBytes(maxBytes + 1);
      }
      if (bytes.length > maxBytes) {
        return new Failed(tooLarge(bytes.length, maxBytes));
      }
      BasicFileAttributes after = Files.readAttributes(real, BasicFileAttributes.class);
      boolean stable =
          Objects.equals(before.fileKey(), after.fileKey())
              && before.size() == after.size()
              && before.lastModifiedTime().equals(after.lastModifiedTime())
              && bytes.length == after.size();
      return new Content(bytes, sha256(bytes), Identity.of(real, after), stable);
    } catch (NoSuchFileException e) {
      return missing(path); // deleted while we looked
    } catch (AccessDeniedException e) {
      return new Failed("permission denied: cannot read the file (check its owner and mode)");
    } catch (FileSystemLoopException e) {
      return new Failed("symbolic link loop");
    } catch (FileSystemException e) {
      return new Failed(
          "cannot read: " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
    } catch (IOException e) {
      return new Failed("cannot read: " + e.getClass().getSimpleName());
    } catch (SecurityException e) {
      return new Failed("cannot read: access denied by the security manager");
    }
  }

  private static Missing missing(Path path) {
    if (Files.isSymbolicLink(path)) {
      return new Missing("symbolic link to a missing file");
    }
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return new Missing("folder " + parent + " does not exist");
    }
    return new Missing("file not found");
  }

  private static String tooLarge(long size, int maxBytes) {
    return "file is "
        + size
        + " bytes, above the limit of "
        + maxBytes
        + " bytes (ParseLimits.maxDocumentBytes)";
  }

  /** Lists and reads the fragments of {@code folder}. */
  static Listing readFolder(Path folder, ConfigFormat forced, int maxBytes) {
    if (!Files.exists(folder)) {
      return new Listing(new Missing("folder not found"), Collections.emptySortedMap());
    }
    if (!Files.isDirectory(folder)) {
      return new Listing(new Failed("is not a directory"), Collections.emptySortedMap());
    }
    SortedMap<String, Result> fragments = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (FragmentNames.fragmentFormat(name, forced).isEmpty()
            || Files.isDirectory(entry)
            || !Files.exists(entry)) {
          continue; // not a fragment, a sub-folder, or a dangling link
        }
        Result r = readFile(entry, maxBytes);
        if (!(r instanceof Missing)) {
          fragments.put(name, r); // a fragment deleted while listing is simply gone
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new Listing(new Missing("folder not found"), Collections.emptySortedMap());
    } catch (AccessDeniedException e) {
      return new Listing(
          new Failed("permission denied: cannot list the folder"), Collections.emptySortedMap());
    } catch (IOException | java.io.UncheckedIOException e) {
      return new Listing(
          new Failed("cannot list the folder: " + e.getClass().getSimpleName()),
          Collections.emptySortedMap());
    }
    return new Listing(null, fragments);
  }

  /** The file key (inode) of a folder, or null if it is not a folder now. */
  static Object folderKey(Path folder) {
    try {
      BasicFileAttributes a = Files.readAttributes(folder, BasicFileAttributes.class);
      return a.isDirectory() ? (a.fileKey() != null ? a.fileKey() : a.creationTime()) : null;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
