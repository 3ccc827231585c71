package dev.streamledger.projector.account;

import java.math.BigInteger;

/** The write model of one account: all its commands are decided against this, in log order. */
record AccountState(String accountId, String owner, String currency, BigInteger balanceMinor, long version) {}
