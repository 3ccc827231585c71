/**
 * The read views: {@code ReadViewTopology} folds users, accounts, statements, transfers and
 * outcomes; the controllers serve them, after the Consistency-Token's writes ({@code
 * ConsistencyGate}).
 */
package dev.streamledger.query.view;
