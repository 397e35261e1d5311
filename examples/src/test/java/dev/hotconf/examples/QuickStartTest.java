package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's library example program runs and shows what it promises. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class QuickStartTest {

  @Test
  void publishesTheGoodEditAndKeepsItLiveWhenTheBadOneIsRejected() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("version 1: db.pool.max=20 (from overrides.yaml:3:10)")
        .contains("http.timeout=PT2S, pool=Pool[min=2, max=20]")
        .contains("pool.max changed 20 -> 40")
        .contains("version 2: db.pool.max=40")
        .contains("rejected, still live: version 2")
        .contains("db.pool.max")
        .contains("version 2: db.pool.max=40 (the bad edit never went live)")
        .contains("status: 1 rejection(s), 2 version(s) published")
        .doesNotContain("change-me");
  }
}
