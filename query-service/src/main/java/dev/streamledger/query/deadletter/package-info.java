/**
 * The dead letters, for operators: what was parked, why and from where — never the parked value
 * itself, which may hold a sender's bearer token.
 */
package dev.streamledger.query.deadletter;
