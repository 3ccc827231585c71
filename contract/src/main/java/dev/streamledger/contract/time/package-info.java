/**
 * The three timestamps of a request.
 */
package dev.streamledger.contract.time;
