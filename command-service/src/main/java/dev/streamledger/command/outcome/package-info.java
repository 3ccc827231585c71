/**
 * Writing a command and waiting for its outcome: the gateway to Kafka and the listener every
 * instance runs on the outcomes topic.
 */
package dev.streamledger.command.outcome;
