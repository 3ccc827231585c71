package dev.streamledger.contract.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every service shares for being watched: request tracing ({@link RequestTracing}) and the
 * count of log events by level ({@link LogEvents}). The
 * metrics, log format and Prometheus endpoint are settings, in {@code streamledger-common.yml},
 * which each service imports.
 */
@Configuration(proxyBeanMethods = false)
public class Observability {

  @Bean
  RequestTracing requestTracing() {
    return new RequestTracing();
  }

  @Bean
  LogEvents logEvents() {
    return new LogEvents();
  }
}
