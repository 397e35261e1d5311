package dev.hotconf.sidecar.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Renders {@code GET /v1/history} and the answers of {@code /v1/pin}. */
final class HistoryJson {
  private static final JsonFactory JSON = new JsonFactory();

  private HistoryJson() {}

  /**
   * {@code {"pinned":5|null,"versions":[{"version","hash","time","origins","bytes"}]}}, newest
   * first; no content (that is {@code GET /v1/history/N}).
   */
  static String list(Pinning pinning) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      pinned(g, pinning);
      g.writeArrayFieldStart("versions");
      for (History.Entry e : pinning.history().list()) {
        g.writeStartObject();
        g.writeNumberField("version", e.version());
        g.writeStringField("hash", e.hash());
        g.writeStringField("time", e.time().toString());
        g.writeArrayFieldStart("origins");
        for (String o : e.origins()) {
          g.writeString(o);
        }
        g.writeEndArray();
        g.writeNumberField("bytes", e.json().length);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  /** {@code {"pinned":5|null,"since":..,"persistent":..,"servedVersion":9}}. */
  static String pin(Pinning pinning, Published served) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      pinned(g, pinning);
      pinning
          .pin()
          .ifPresent(
              p -> {
                try {
                  g.writeStringField("hash", p.entry().hash());
                  g.writeStringField("since", p.since().toString());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      g.writeBooleanField("persistent", pinning.persistent());
      g.writeNumberField("servedVersion", served == null ? 0 : served.version());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  private static void pinned(JsonGenerator g, Pinning pinning) throws IOException {
    Pinning.Pin pin = pinning.pin().orElse(null);
    if (pin == null) {
      g.writeNullField("pinned");
    } else {
      g.writeNumberField("pinned", pin.entry().version());
    }
  }
}
