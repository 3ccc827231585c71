/**
 * Registering and deleting usernames: HTTP to user commands.
 */
package dev.streamledger.command.user;
