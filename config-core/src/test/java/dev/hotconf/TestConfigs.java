package dev.hotconf;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Helpers shared by the pipeline tests. */
final class TestConfigs {
  private TestConfigs() {}

  static MemorySource yaml(String name, String text) {
    return Sources.text(name, ConfigFormat.YAML, text);
  }

  static HotConfig.Builder builder() {
    return HotConfig.builder().startTimeout(Duration.ofSeconds(10));
  }

  /** Records every change delivered to it. */
  static final class Recorder implements ChangeListener {
    final List<ConfigChange> changes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onChange(ConfigChange change) {
      changes.add(change);
    }

    List<Long> versions() {
      synchronized (changes) {
        return changes.stream().map(c -> c.current().version()).toList();
      }
    }
  }
}
