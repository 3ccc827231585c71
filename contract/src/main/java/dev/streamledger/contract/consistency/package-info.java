/**
 * Consistency tokens: what a command changed, for reading one's own writes.
 */
package dev.streamledger.contract.consistency;
