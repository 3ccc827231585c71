/**
 * A transfer's own status as its stages decide it.
 */
package dev.streamledger.contract.transfer;
