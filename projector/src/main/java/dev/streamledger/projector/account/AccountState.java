package dev.streamledger.projector.account;

/** The write model of one account: all its commands are decided against this, in log order. */
record AccountState(String accountId, String owner, String currency, long balanceMinor, long version) {}
