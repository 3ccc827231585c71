/**
 * The decision on a command: {@code Outcome}, its typed code ({@code OutcomeCode}: accepted, or a
 * rejection with its HTTP status) and data ({@code OutcomeData}).
 */
package dev.streamledger.contract.outcome;
