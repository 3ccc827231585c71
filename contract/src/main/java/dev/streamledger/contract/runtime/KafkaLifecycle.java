package dev.streamledger.contract.runtime;

import org.springframework.context.SmartLifecycle;

/**
 * When the services' Kafka parts start and stop, relative to the web server.
 *
 * <p>Spring starts lifecycle beans in ascending phase and stops them in descending phase. The
 * web server's graceful shutdown (which lets in-flight requests finish) runs at
 * {@code SmartLifecycle.DEFAULT_PHASE - 1024}, the web server itself starts and stops at
 * {@code DEFAULT_PHASE - 2048}. Kafka Streams and the command service's outcome listener sit
 * below both: they start before the first request is taken and stop only after the last one has
 * been answered — a request waiting for its outcome on SIGTERM still gets it, and a query in
 * flight still finds its store.
 */
public final class KafkaLifecycle {

  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private KafkaLifecycle() {}
}
