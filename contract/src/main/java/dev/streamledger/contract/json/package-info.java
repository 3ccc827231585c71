/**
 * The JSON mapper and serde of every record, with schema versions and upcasting.
 */
package dev.streamledger.contract.json;
