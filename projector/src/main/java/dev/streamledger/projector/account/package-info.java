/**
 * Balances and transfers: {@code AccountRules} decides every account command (pure functions),
 * {@code AccountTopology} runs them on the account's partition.
 */
package dev.streamledger.projector.account;
