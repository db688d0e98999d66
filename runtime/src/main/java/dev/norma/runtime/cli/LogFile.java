package dev.norma.runtime.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The full log of a run or a node, stack traces included, in a file beside its results. The
 * terminal shows one line an event (see {@code logback.xml}); the file is where to look when a
 * line is not enough, and what to attach to a report.
 */
final class LogFile {
  private LogFile() {
  }

  /**
   * Appends every event logged from now on to {@code file}, which is created with the first one
   * (a run that logs nothing leaves no file); returns a handle that detaches it.
   */
  static AutoCloseable attach(Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    OnFirstEvent appender = new OnFirstEvent(context, file);
    appender.start();
    root.addAppender(appender);
    return () -> {
      root.detachAppender(appender);
      appender.stop();
    };
  }

  /**
   * Takes the terminal off the log until the handle is closed (the file, if attached, still gets
   * everything): for the moment a stopped run closes its journal under agents that may still be
   * writing, whose failures are expected and are nobody's concern.
   */
  static AutoCloseable quietTerminal() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.Appender<ILoggingEvent> terminal = root.getAppender("STDERR");
    if (terminal == null) {
      return () -> { };
    }
    root.detachAppender(terminal);
    return () -> root.addAppender(terminal);
  }

  /** A file appender opened by the first event. */
  private static final class OnFirstEvent extends AppenderBase<ILoggingEvent> {
    private final Path file;
    private FileAppender<ILoggingEvent> opened;

    OnFirstEvent(LoggerContext context, Path file) {
      this.file = file;
      setContext(context);
      setName("run-file");
    }

    @Override
    protected void append(ILoggingEvent event) {
      if (opened == null) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(getContext());
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n");
        encoder.start();
        opened = new FileAppender<>();
        opened.setContext(getContext());
        opened.setFile(file.toString());
        opened.setAppend(true);
        opened.setEncoder(encoder);
        opened.start();
      }
      opened.doAppend(event);
    }

    @Override
    public void stop() {
      super.stop();
      if (opened != null) {
        opened.stop();
      }
    }
  }
}
