package dev.hotconf.consul;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged while open: java.util.logging at ALL (consul-api logs request URLs at
 * FINEST; commons-logging, hence Apache HttpClient, falls back to JUL) and SLF4J/logback at TRACE.
 */
final class LogCapture implements AutoCloseable {
  private static final String[] JUL_LOGGERS = {
    "", "com.ecwid", "org.apache.http", "org.apache.http.headers", "org.apache.http.wire"
  };
  private static final String[] LOGBACK_LOGGERS = {Logger.ROOT_LOGGER_NAME, "dev.hotconf"};

  private final ConcurrentLinkedQueue<String> julLines = new ConcurrentLinkedQueue<>();
  private final Map<String, java.util.logging.Level> julLevels = new java.util.HashMap<>();
  private final Map<String, Level> logbackLevels = new java.util.HashMap<>();
  private final Handler handler;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    SimpleFormatter formatter = new SimpleFormatter();
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            julLines.add(
                record.getLoggerName()
                    + " "
                    + record.getLevel()
                    + " "
                    + formatter.formatMessage(record)
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(java.util.logging.Level.ALL);
    for (String name : JUL_LOGGERS) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      julLevels.put(name, logger.getLevel());
      logger.setLevel(java.util.logging.Level.ALL);
    }
    java.util.logging.Logger.getLogger("").addHandler(handler);

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.start();
    for (String name : LOGBACK_LOGGERS) {
      Logger logger = context.getLogger(name);
      logbackLevels.put(name, logger.getLevel());
      logger.setLevel(Level.TRACE);
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  /** Every captured line: JUL records and logback events with their stack traces. */
  List<String> lines() {
    List<String> out = new ArrayList<>(julLines);
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      out.add(
          e.getLoggerName()
              + " "
              + e.getLevel()
              + " "
              + e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    return out;
  }

  List<String> julLines() {
    return List.copyOf(julLines);
  }

  @Override
  public void close() {
    java.util.logging.Logger.getLogger("").removeHandler(handler);
    julLevels.forEach((name, level) -> java.util.logging.Logger.getLogger(name).setLevel(level));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    logbackLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    appender.stop();
  }
}
