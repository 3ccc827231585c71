/**
 * Request ids, idempotency key ids, and keyed commands passed to the memory of keys.
 */
package dev.streamledger.contract.request;
