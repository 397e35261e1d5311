package dev.hotconf.consul.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acknowledgement record's JSON: round trip, tolerance for later writers, strictness. */
class AckTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  private static Ack parse(String json) {
    return Ack.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRecordSurvivesARoundTrip() {
    Ack a =
        new Ack(
            1,
            "orders",
            "web-1-3fa9c2",
            AckState.REJECTED,
            "config/orders/app.yaml",
            1200,
            "9c1e",
            7,
            1234,
            List.of("app.yaml:3:7: db.pool.max: must be <= 500"),
            T,
            "hotconf-sidecar");

    assertThat(Ack.parse(a.toBytes())).isEqualTo(a);
    assertThat(a.toJson())
        .startsWith("{\"format\":1,\"app\":\"orders\",\"instance\":\"web-1-3fa9c2\"")
        .contains("\"state\":\"rejected\"", "\"rejectedIndex\":1234", "\"time\":\"" + T + "\"");
  }

  @Test
  void readersIgnoreUnknownFieldsAndKeepUnknownStatesOfLaterWriters() {
    Ack a =
        parse(
            "{\"format\":2,\"app\":\"orders\",\"instance\":\"web-2\",\"state\":\"draining\","
                + "\"index\":5,\"version\":3,\"hash\":\"ab\",\"time\":\"2026-12-05T10:00:00Z\","
                + "\"stage\":10,\"bucket\":4711,\"labels\":{\"zone\":\"a\"}}");

    assertThat(a.format()).isEqualTo(2);
    assertThat(a.state().name()).isEqualTo("draining");
    assertThat(a.state().isKnown()).isFalse();
    assertThat(a.index()).isEqualTo(5);
    assertThat(a.key()).isNull();
    assertThat(a.problems()).isEmpty();
  }

  @Test
  void badRecordsAreRefusedNamingTheFieldNeverTheValue() {
    assertThatThrownBy(() -> parse("not json {")).hasMessage("not JSON");
    assertThatThrownBy(() -> parse("[1]")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> parse("{\"app\":\"a\"}")).hasMessage("format: missing");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"format\":1,\"app\":\"a\",\"instance\":\"i\",\"state\":\"SECRET VALUE\","
                        + "\"time\":\"2026-12-05T10:00:00Z\"}"))
        .hasMessage("state: not a state name");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"format\":1,\"app\":\"a\",\"instance\":\"i\",\"state\":\"live\","
                        + "\"index\":\"12\",\"time\":\"2026-12-05T10:00:00Z\"}"))
        .hasMessage("index: must be a number");
    assertThatThrownBy(() -> Ack.parse(new byte[Ack.MAX_BYTES + 1]))
        .hasMessageContaining("larger than");
  }

  @Test
  void problemsAreCappedInNumberAndLength() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add("x".repeat(2000) + "\nsecond line");
    }
    Ack a = new Ack(1, "a", "i", AckState.REJECTED, null, 0, null, 0, 1, many, T, null);

    assertThat(a.problems()).hasSize(Ack.MAX_PROBLEMS);
    assertThat(a.problems().get(0)).hasSize(Ack.MAX_PROBLEM_LENGTH).endsWith("...");
    assertThat(String.join("", a.problems())).doesNotContain("\n");
  }

  @Test
  void sameAsIgnoresOnlyTheTime() {
    Ack a = new Ack(1, "a", "i", AckState.LIVE, "k", 3, "h", 1, 0, List.of(), T, null);

    assertThat(a.sameAs(a.at(T.plusSeconds(60)))).isTrue();
    assertThat(a.sameAs(new Ack(1, "a", "i", AckState.LIVE, "k", 4, "h", 1, 0, List.of(), T, null)))
        .isFalse();
  }

  @Test
  void defaultInstanceIdsAreStablePerHostAndDiscriminator() {
    String a = InstanceIds.of("web-1.example", "/etc/hotconf/sidecar.yaml");
    assertThat(a).matches("web-1\\.example-[0-9a-f]{6}");
    assertThat(InstanceIds.of("web-1.example", "/etc/hotconf/sidecar.yaml")).isEqualTo(a);
    assertThat(InstanceIds.of("web-1.example", "/etc/other.yaml")).isNotEqualTo(a);
    assertThat(InstanceIds.of("host with spaces", "x")).startsWith("host-with-spaces-");
    assertThat(InstanceIds.isValid(a)).isTrue();
    assertThat(InstanceIds.isValid("a/b")).isFalse();
  }
}
