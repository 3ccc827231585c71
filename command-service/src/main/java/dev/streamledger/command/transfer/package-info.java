/**
 * Transfers: HTTP to the debit stage of a transfer.
 */
package dev.streamledger.command.transfer;
