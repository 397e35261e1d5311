package dev.hotconf.sidecar.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotconf.ConfigException;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a pin survives a restart: the pinned version's entry (version, hash, time, origins and the
 * content itself) as JSON, written like the last-known-good file (temp file in the same folder,
 * fsync, rename, readable by its owner only: it holds the configuration).
 *
 * <pre>{@code
 * {"format":1,"version":5,"hash":"9c1e...","time":"2026-12-05T10:00:00Z",
 *  "origins":["consul:config/orders/app.yaml@1180"],"content":{"db":{"pool":{"max":20}}}}
 * }</pre>
 *
 * <p>Thread-safe (each call reads or replaces the whole file).
 */
final class PinFile {
  private static final JsonFactory JSON = new JsonFactory();

  private final Path path;

  PinFile(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  Path path() {
    return path;
  }

  /** Replaces the file with {@code entry}. */
  synchronized void write(History.Entry entry) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeNumberField("format", 1);
      g.writeNumberField("version", entry.version());
      g.writeStringField("hash", entry.hash());
      g.writeStringField("time", entry.time().toString());
      g.writeArrayFieldStart("origins");
      for (String o : entry.origins()) {
        g.writeString(o);
      }
      g.writeEndArray();
      g.writeFieldName("content");
      g.writeRawValue(new String(entry.json(), StandardCharsets.UTF_8));
      g.writeEndObject();
    }
    Path dir = path.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * The pinned entry, if the file exists.
   *
   * @throws IOException when it exists but is not a regular file, cannot be read or is not a pin
   *     file (the message names the file and the field, never content)
   */
  synchronized Optional<History.Entry> read() throws IOException {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(path)) {
      // a FIFO would block the start until someone writes to it, /dev/zero never ends
      throw new IOException(path + " is not a pin file: not a regular file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    ConfigObject root;
    try {
      root =
          ConfigFormat.JSON.parse(
              bytes,
              ConfigOrigin.of("pin", path.toString()),
              ParseLimits.builder()
                  .maxDocumentBytes(Integer.MAX_VALUE - 16)
                  .maxValues(Integer.MAX_VALUE)
                  .maxNestingDepth(1000)
                  .build());
    } catch (ConfigException e) {
      throw new IOException(path + " is not a pin file: it does not parse as JSON");
    }
    try {
      long version = number(root, "version");
      String hash = text(root, "hash");
      Instant time = Instant.parse(text(root, "time"));
      List<String> origins = new ArrayList<>();
      if (root.get("origins") instanceof ConfigList l) {
        for (ConfigNode n : l.elements()) {
          if (n instanceof ConfigScalar s && s.value() instanceof String t) {
            origins.add(t);
          }
        }
      }
      if (!(root.get("content") instanceof ConfigObject content)) {
        throw new IllegalArgumentException("content");
      }
      return Optional.of(
          new History.Entry(
              version, hash, time, content.toJson().getBytes(StandardCharsets.UTF_8), origins));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(path + " is not a pin file: bad or missing field " + field(e));
    }
  }

  /** Removes the file (no pin any more). */
  synchronized void delete() throws IOException {
    Files.deleteIfExists(path);
  }

  private static String field(RuntimeException e) {
    return e instanceof DateTimeParseException ? "time" : e.getMessage();
  }

  private static long number(ConfigObject o, String field) {
    if (o.get(field) instanceof ConfigScalar s && s.value() instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException(field);
  }

  private static String text(ConfigObject o, String field) {
    if (o.get(field) instanceof ConfigScalar s && s.value() instanceof String t) {
      return t;
    }
    throw new IllegalArgumentException(field);
  }
}
