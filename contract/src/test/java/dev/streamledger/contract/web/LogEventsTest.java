package dev.streamledger.contract.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogEventsTest {

  private static final Logger log = LoggerFactory.getLogger(LogEventsTest.class);

  @Test
  void shouldCountTheEventsThatAreLoggedByLevelAndNotTheOnesSwitchedOff() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) log;
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogEvents events = new LogEvents()) {
      events.bindTo(registry);

      log.warn("one warning");
      log.info("one piece of news");
      log.info("and another");
      log.debug("switched off: {}", "not counted");
      log.trace("switched off: {} {} {}", 1, 2, 3);

      assertThat(count(registry, "warn")).isEqualTo(1);
      assertThat(count(registry, "info")).isEqualTo(2);
      assertThat(count(registry, "debug")).isZero();
      assertThat(count(registry, "trace")).isZero();
      assertThat(count(registry, "error")).isZero();
    } finally {
      logger.setLevel(before);
    }

    log.warn("after close: not counted");
    assertThat(count(registry, "warn")).isEqualTo(1);
  }

  @Test
  void shouldKeepCountingWhenLogbacksConfigurationIsReset() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogEvents events = new LogEvents()) {
      events.bindTo(registry);

      logback.reset(); // what reconfiguring does first: every appender detached and stopped

      log.error("after the reset");
      assertThat(count(registry, "error")).isEqualTo(1);
    }
  }

  private static double count(SimpleMeterRegistry registry, String level) {
    return registry.get("logback.events").tag("level", level).counter().count();
  }
}
