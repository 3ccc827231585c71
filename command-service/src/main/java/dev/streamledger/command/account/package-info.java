/**
 * Opening accounts, deposits and withdrawals: HTTP to account commands.
 */
package dev.streamledger.command.account;
