/**
 * Reading a view wherever it is: interactive queries on this instance ({@code ViewStores}),
 * forwarding to the instance that holds a key ({@code Forwarding}), how far the views have read
 * ({@code ViewPositions}, {@code CatchUp}). Knows no view.
 */
package dev.streamledger.query.store;
