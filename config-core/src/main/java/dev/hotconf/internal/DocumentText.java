package dev.hotconf.internal;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.parse.ParseLimits;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks a document's size and decodes it as strict UTF-8, with the line of any bad byte. */
public final class DocumentText {
  private DocumentText() {}

  public static String decode(byte[] content, ConfigOrigin origin, ParseLimits limits) {
    if (content.length > limits.maxDocumentBytes()) {
      throw new ConfigParseException(
          origin,
          "document is "
              + content.length
              + " bytes, over the limit of "
              + limits.maxDocumentBytes()
              + " bytes (maxDocumentBytes)");
    }
    int offset = hasBom(content) ? 3 : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content, offset, content.length - offset);
    CharBuffer out = CharBuffer.allocate(content.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int bad = in.position();
      throw new ConfigParseException(
          positionOf(content, offset, bad, origin),
          String.format("invalid UTF-8: byte 0x%02X at offset %d", content[bad] & 0xFF, bad));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      throw new ConfigParseException(
          positionOf(content, offset, offset + utf8Length(text, nul), origin),
          "found a NUL character: this is not a text document");
    }
    return text;
  }

  private static int utf8Length(String text, int chars) {
    return text.substring(0, chars).getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The line:column (1-based, columns in characters) of byte {@code offset}; the text starts at
   * byte {@code start} (after a BOM).
   */
  static ConfigOrigin positionOf(byte[] content, int start, int offset, ConfigOrigin origin) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < offset; i++) {
      if (content[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = 1;
    try {
      column =
          StandardCharsets.UTF_8
                  .newDecoder()
                  .decode(ByteBuffer.wrap(content, lineStart, offset - lineStart))
                  .length()
              + 1;
    } catch (CharacterCodingException e) {
      column = offset - lineStart + 1;
    }
    return origin.at(line, column);
  }

  private static boolean hasBom(byte[] c) {
    return c.length >= 3 && (c[0] & 0xFF) == 0xEF && (c[1] & 0xFF) == 0xBB && (c[2] & 0xFF) == 0xBF;
  }
}
