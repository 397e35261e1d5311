package dev.hotconf.sidecar.filetarget;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: the folder is watched, not the file, so that every way a template is replaced is seen:
 * in-place writes, an editor's rename, a Kubernetes ConfigMap's ..data symlink swap. Any event in
 * the folder calls onChange; the target then re-reads the template and compares it with what it
 * compiled, so unrelated files in the folder cost one read each and change nothing. Where the
 * platform has no native notifications the JDK polls (every few seconds).
 */

/**
 * Calls back when anything changes in a template's folder. One daemon thread per watcher; {@link
 * #close()} stops it. Thread-safe.
 */
public final class TemplateWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateWatcher.class);

  private final Path template;
  private final WatchService service;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts watching {@code template}'s folder.
   *
   * @param onChange called on the watcher's thread after each batch of events
   * @throws IOException when the folder cannot be watched
   */
  public TemplateWatcher(Path template, Runnable onChange) throws IOException {
    this.template = template.toAbsolutePath().normalize();
    this.service = FileSystems.getDefault().newWatchService();
    try {
      this.template
          .getParent()
          .register(
              service,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    this.thread = new Thread(() -> loop(onChange), "hotconf-template-watch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop(Runnable onChange) {
    while (running) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      key.pollEvents();
      boolean valid = key.reset();
      try {
        onChange.run();
      } catch (RuntimeException e) {
        LOG.warn("template {}: re-render after a change failed: {}", template, e.toString());
      }
      if (!valid) {
        LOG.warn("template {}: its folder can no longer be watched", template);
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      service.close();
    } catch (IOException e) {
      // closing
    }
    thread.interrupt();
  }
}
