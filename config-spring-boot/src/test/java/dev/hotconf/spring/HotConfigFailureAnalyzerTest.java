package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

class HotConfigFailureAnalyzerTest {
  private final HotConfigFailureAnalyzer analyzer = new HotConfigFailureAnalyzer();

  @Test
  void listsEveryProblemOfAWrappedConfigException() {
    Problem a =
        Problem.at(
            "hotconf.strikt", ConfigOrigin.of("spring", "application.yaml", 8, 11), "unknown key");
    Problem b = Problem.at("db.pool.max", ConfigOrigin.of("file", "app.yaml", 6, 10), "too big");
    FailureAnalysis analysis =
        analyzer.analyze(new IllegalStateException(new ConfigException(List.of(a, b))));
    assertThat(analysis.getDescription())
        .startsWith("hotconf's settings or configuration are not valid:")
        .contains("\n    application.yaml:8:11: hotconf.strikt: unknown key")
        .contains("\n    app.yaml:6:10: db.pool.max: too big");
    assertThat(analyzer.analyze(new ConfigStartupException(List.of(a), true)).getDescription())
        .startsWith("hotconf found no valid configuration within hotconf.start-timeout:");
    assertThat(analyzer.analyze(new IllegalStateException("other"))).isNull();
  }
}
