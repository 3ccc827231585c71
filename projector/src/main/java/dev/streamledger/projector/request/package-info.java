/**
 * What every deciding processor shares about requests: {@code CommandProcessor} (dead letters,
 * duplicates, authenticity, exactly one outcome per request) and the memory of idempotency keys
 * ({@code KeyedRequests}, {@code IdempotencyTopology}).
 */
package dev.streamledger.projector.request;
