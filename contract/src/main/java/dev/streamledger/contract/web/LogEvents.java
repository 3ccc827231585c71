package dev.streamledger.contract.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Counts the events that reach the logs, by level: the meter {@code logback.events} (tag
 * {@code level}) that Micrometer's Logback binder keeps, counted by an appender on the root
 * logger. Micrometer's binder counts with a turbo filter, which Logback consults on every log
 * call, also those whose level is off — and Kafka's clients and Streams make such calls for
 * every record (a {@code trace} in {@code RecordQueue.updateHead}): 4 % of the query service's
 * samples (docs/performance.md, change 13). An appender is handed only the events that are
 * logged. The binder is switched off in {@code streamledger-common.yml}. Like the binder's filter,
 * the appender outlives a reset of Logback's configuration (which detaches every appender).
 */
public final class LogEvents extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements MeterBinder, LoggerContextListener, AutoCloseable {

  private static final Level[] LEVELS = {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE};

  private final Counter[] counters = new Counter[LEVELS.length];
  private Logger root;

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    for (int i = 0; i < LEVELS.length; i++) {
      String level = LEVELS[i].levelStr.toLowerCase(Locale.ROOT);
      counters[i] = Counter.builder("logback.events").tag("level", level)
          .description("Number of log events that were enabled by the effective log level")
          .baseUnit(BaseUnits.EVENTS).register(registry);
    }
    if (root == null && LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      setContext(logback);
      setName("streamledger-log-events");
      root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      attach();
      logback.addListener(this);
    }
  }

  private synchronized void attach() {
    if (root != null) {
      start();
      root.addAppender(this); // once: Logback ignores an appender it already has
    }
  }

  @Override
  public boolean isResetResistant() {
    return true;
  }

  /** Logback's configuration was reset, and every appender with it: this one goes back. */
  @Override
  public void onReset(LoggerContext context) {
    attach();
  }

  @Override
  public void onStart(LoggerContext context) {}

  @Override
  public void onStop(LoggerContext context) {}

  @Override
  public void onLevelChange(Logger logger, Level level) {}

  @Override
  protected void append(ILoggingEvent event) {
    int level = switch (event.getLevel().toInt()) {
      case Level.ERROR_INT -> 0;
      case Level.WARN_INT -> 1;
      case Level.INFO_INT -> 2;
      case Level.DEBUG_INT -> 3;
      default -> 4;
    };
    Counter counter = counters[level];
    if (counter != null) {
      counter.increment();
    }
  }

  /** Stops counting (the application context closes). */
  @Override
  public synchronized void close() {
    if (root != null) {
      ((LoggerContext) getContext()).removeListener(this);
      root.detachAppender(this);
      root = null;
    }
    stop();
  }
}
