package dev.streamledger.command.system;

import dev.streamledger.contract.json.IsoInstants;
import dev.streamledger.contract.json.RecordCreators;
import dev.streamledger.contract.web.WholeBodies;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Limits on what a client may send: commands at most {@code streamledger.command.rate-limit.*} a
 * second per client ({@link RateLimits}, {@code 429} beyond); and on what a request may be: bodies at most {@value #MAX_BODY_BYTES} bytes ({@code 413}
 * beyond), read whole within {@link #BODY_TIMEOUT} of the headers without holding a thread
 * ({@link WholeBodies}; {@code 408} after), and every field of a body a JSON string — money as a JSON number would be read as a
 * binary float by many clients, so {@code 12.5} where {@code "12.5"} belongs is a {@code 400}, as
 * is a number or boolean in place of a name. Unknown fields are refused too
 * ({@code fail-on-unknown-properties} in {@code command-service.yml}). Headers are limited by the server itself ({@code server.max-http-request-header-size},
 * 8 KiB, in {@code command-service.yml}); every field's own limits are checked where it is read.
 */
@Configuration(proxyBeanMethods = false)
class HttpLimits {

  /** Every command body is a small JSON object; 16 KiB leaves room for any valid one. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  /** Time enough for any honest client to send 16 KiB; a slow one holds a connection, never a thread. */
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  JsonMapperBuilderCustomizer stringsAreStrings() {
    return builder -> builder.withCoercionConfig(LogicalType.Textual, strings -> strings
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /** Request bodies' records are created as those read from Kafka are ({@link RecordCreators}). */
  @Bean
  RecordCreators recordCreators() {
    return new RecordCreators();
  }

  /** ... and their times read as those on Kafka are ({@link IsoInstants}). */
  @Bean
  IsoInstants isoInstants() {
    return new IsoInstants();
  }

  /** Per-client rate limits on commands ({@code streamledger.command.rate-limit.*}); none when switched off. */
  @Bean
  FilterRegistrationBean<RateLimits> rateLimits(CommandSettings settings, MeterRegistry meters) {
    CommandSettings.RateLimit limit = settings.rateLimit();
    FilterRegistrationBean<RateLimits> registration = new FilterRegistrationBean<>(limit.enabled()
        ? new RateLimits(limit.perSecond(), limit.burst(), System::nanoTime, meters)
        : new RateLimits(1, 1, System::nanoTime, meters));
    registration.setEnabled(limit.enabled());
    // after the body is read (WholeBodies), before it is parsed: a client over its limit costs no parsing
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  /**
   * Before the rate limit and Spring Security (a request refused with its body unread would
   * hold its thread while the container drops the rest: {@link WholeBodies}), and on the
   * asynchronous dispatch that follows a body read without a thread.
   */
  @Bean
  FilterRegistrationBean<WholeBodies> wholeBodies() {
    FilterRegistrationBean<WholeBodies> registration = new FilterRegistrationBean<>(
        new WholeBodies(MAX_BODY_BYTES, BODY_TIMEOUT));
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    return registration;
  }
}
