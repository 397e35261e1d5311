package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigParseException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every format reads strict UTF-8 and rejects binary input with the position of the bad byte. */
@Timeout(10)
class EncodingTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(String prefix, byte[] rest) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[p.length + rest.length];
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(rest, 0, out, p.length, rest.length);
    return out;
  }

  private static String ext(ConfigFormat f) {
    return "app." + f.name().toLowerCase(java.util.Locale.ROOT);
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void latin1ByteIsInvalidUtf8AtItsLineAndColumn(ConfigFormat format) {
    byte[] doc = concat("a: 1\nb: caf", bytes(0xE9, '\n'));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":2:7: invalid UTF-8: byte 0xE9 at offset 11");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void columnAfterMultiByteCharactersCountsCharacters(ConfigFormat format) {
    byte[] doc = concat("é: ü", bytes(0xFF));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:5: invalid UTF-8: byte 0xFF at offset 6");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void truncatedMultiByteSequenceIsInvalid(ConfigFormat format) {
    byte[] doc = concat("a: ", bytes(0xE2, 0x98));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:4: invalid UTF-8: byte 0xE2 at offset 3");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void overlongEncodingIsInvalid(ConfigFormat format) {
    // 0xC0 0xAF is an overlong '/'
    byte[] doc = concat("a: ", bytes(0xC0, 0xAF));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:4: invalid UTF-8: byte 0xC0 at offset 3");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void encodedSurrogateIsInvalid(ConfigFormat format) {
    byte[] doc = concat("a: ", bytes(0xED, 0xA0, 0x80));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:4: invalid UTF-8: byte 0xED at offset 3");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void utf16IsRejected(ConfigFormat format) {
    byte[] doc = "a: 1".getBytes(StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[doc.length + 2];
    withBom[0] = (byte) 0xFF;
    withBom[1] = (byte) 0xFE;
    System.arraycopy(doc, 0, withBom, 2, doc.length);

    assertThat(error(format, withBom, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:1: invalid UTF-8: byte 0xFF at offset 0");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void nulByteIsRejectedAtItsPosition(ConfigFormat format) {
    byte[] doc = concat("a: 1\nb: x", bytes(0, 'y', '\n'));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":2:5: found a NUL character: this is not a text document");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void pngHeaderIsRejectedAtTheFirstByte(ConfigFormat format) {
    byte[] png = bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D);

    assertThat(error(format, png, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:1: invalid UTF-8: byte 0x89 at offset 0");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void gzipIsRejected(ConfigFormat format) {
    byte[] gzip = bytes(0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0);

    assertThat(error(format, gzip, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:2: invalid UTF-8: byte 0x8B at offset 1");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void randomBinaryIsRejectedWithAPosition(ConfigFormat format) {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(512)];
      random.nextBytes(garbage);

      ConfigParseException e = error(format, garbage, ParseLimits.defaults());

      assertThat(e.getMessage()).startsWith(ext(format));
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.origin().hasPosition()).isTrue());
    }
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void invalidByteAfterAByteOrderMarkHasItsColumnWithoutTheMark(ConfigFormat format) {
    byte[] doc = concat("\uFEFFab", bytes(0xFF));

    assertThat(error(format, doc, ParseLimits.defaults()))
        .hasMessage(ext(format) + ":1:3: invalid UTF-8: byte 0xFF at offset 5");
  }

  @Test
  void controlCharacterInPropertiesIsKept() {
    // .properties has no notion of printable characters: only NUL marks binary
    assertThat(Parsing.value(Parsing.properties("a=x\u0001y\n"), "a")).isEqualTo("x\u0001y");
  }

  @Test
  void controlCharacterInJsonStringIsRejected() {
    assertThat(Parsing.jsonError("{\"a\":\n \"x\u0001y\"}"))
        .hasMessage(
            "app.json:2:4: found a control character in a string (it must be escaped, e.g. \\n or \\t)");
  }
}
