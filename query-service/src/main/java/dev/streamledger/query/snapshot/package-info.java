/**
 * Snapshots: every account of a partition, with the offset to continue from.
 */
package dev.streamledger.query.snapshot;
