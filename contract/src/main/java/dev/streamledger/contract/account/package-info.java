/**
 * Account commands and events, money, the account directory entry.
 */
package dev.streamledger.contract.account;
