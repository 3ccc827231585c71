/**
 * The command service: REST requests in, commands to Kafka, each answered with the outcome of that
 * very request. Its root wires the application; the feature packages hold one controller each.
 */
package dev.streamledger.command;
