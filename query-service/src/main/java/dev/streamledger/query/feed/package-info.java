/**
 * Change feeds: an account's events as resumable Server-Sent Events.
 */
package dev.streamledger.query.feed;
