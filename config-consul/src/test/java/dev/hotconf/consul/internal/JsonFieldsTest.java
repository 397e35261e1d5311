package dev.hotconf.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonFieldsTest {
  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void readsPresentFieldsAndDefaultsAbsentOptionalOnes() {
    JsonObject o = json("{\"app\": \"orders\", \"index\": 9007199254740993, \"gone\": null}");
    assertThat(JsonFields.text(o, "app", true)).isEqualTo("orders");
    assertThat(JsonFields.text(o, "gone", false)).isNull();
    assertThat(JsonFields.text(o, "absent", false)).isNull();
    assertThat(JsonFields.wholeNumber(o, "index", true)).isEqualTo(9007199254740993L); // exact
    assertThat(JsonFields.wholeNumber(o, "absent", false)).isZero();
  }

  @Test
  void everyFailureNamesTheFieldAndNeverTheValue() {
    JsonObject o =
        json(
            "{\"n\": \"s3cret\", \"t\": 12, \"f\": 1.5, \"neg\": -1, \"big\": 1e40,"
                + " \"arr\": [\"s3cret\"]}");
    assertThatThrownBy(() -> JsonFields.text(o, "absent", true)).hasMessage("absent: missing");
    assertThatThrownBy(() -> JsonFields.text(o, "t", true)).hasMessage("t: must be a string");
    assertThatThrownBy(() -> JsonFields.text(o, "arr", true)).hasMessage("arr: must be a string");
    assertThatThrownBy(() -> JsonFields.wholeNumber(o, "absent", true))
        .hasMessage("absent: missing");
    assertThatThrownBy(() -> JsonFields.wholeNumber(o, "n", true))
        .hasMessage("n: must be a number")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> JsonFields.wholeNumber(o, "f", true))
        .hasMessage("f: must be a whole number");
    assertThatThrownBy(() -> JsonFields.wholeNumber(o, "big", true))
        .hasMessage("big: must be a whole number");
    assertThatThrownBy(() -> JsonFields.wholeNumber(o, "neg", true))
        .hasMessage("neg: must not be negative");
  }
}
