/**
 * Running on Kafka: settings, the Streams lifecycle and health, topic provisioning at start.
 */
package dev.streamledger.contract.runtime;
