/**
 * W3C trace context carried through Kafka headers.
 */
package dev.streamledger.contract.trace;
