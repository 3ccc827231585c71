/**
 * The topic registry ({@code Topics}): every topic's name, serdes, schema history, partitioner and
 * settings; headers and dead letters.
 */
package dev.streamledger.contract.topic;
