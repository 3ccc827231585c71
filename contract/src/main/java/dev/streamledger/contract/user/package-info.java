/**
 * User commands and events, and canonical usernames (RFC 8265).
 */
package dev.streamledger.contract.user;
