/**
 * View digests: a fingerprint of every view, to prove a rebuilt view identical to the live one.
 */
package dev.streamledger.query.digest;
