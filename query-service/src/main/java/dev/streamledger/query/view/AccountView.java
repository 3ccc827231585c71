package dev.streamledger.query.view;

/**
 * The read form of an account: its balance and version after the event at
 * {@code sourcePartition}/{@code sourceOffset}, which is the last one folded in.
 */
public record AccountView(String accountId, String owner, String currency, String balance, long version,
    int sourcePartition, long sourceOffset) {}
