/**
 * Unique usernames: {@code UsernameRules} decides every user command (pure functions), {@code
 * UsernameTopology} runs them on the name's partition.
 */
package dev.streamledger.projector.username;
