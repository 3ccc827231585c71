/**
 * The query service: read views folded from the event topics by Kafka Streams, served over HTTP.
 * Its root wires the Streams instance.
 */
package dev.streamledger.query;
