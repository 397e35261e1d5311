package dev.hotconf.sidecar.filetarget;

import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.files.FileReplacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateWatcherTest {
  @TempDir Path dir;

  @Test
  void inPlaceWritesRenamesAndEditorsSavesAreSeen() throws Exception {
    Path template = dir.resolve("app.tmpl");
    Files.writeString(template, "a");
    AtomicInteger changes = new AtomicInteger();
    try (TemplateWatcher w = new TemplateWatcher(template, changes::incrementAndGet)) {
      int before = changes.get();
      FileReplacement.inPlace(template, "in place");
      await().until(() -> changes.get() > before);
      int afterInPlace = changes.get();
      FileReplacement.renameOver(template, "renamed", ".app.tmpl.new");
      await().until(() -> changes.get() > afterInPlace);
      int afterRename = changes.get();
      FileReplacement.vim(template, "vim");
      await().until(() -> changes.get() > afterRename);
    }
  }
}
