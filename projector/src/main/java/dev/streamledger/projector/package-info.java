/**
 * The projector: the write model on Kafka Streams, exactly once. Its root wires the topologies and
 * the Streams instance; the feature packages decide.
 */
package dev.streamledger.projector;
