package dev.streamledger.query.view;

import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.ViewStores;
import java.util.function.Consumer;

/**
 * The account views of one partition of {@link Topics#ACCOUNT_EVENTS}, read as of one offset —
 * what snapshots and the audit are made of.
 *
 * <p>Why the offset is exact: the partition's accounts are read with one iterator of the store,
 * which sees it after some prefix of the partition's events ({@link ViewStores#forEachIn}), and
 * each account carries the offset of the last event folded into it. So every event up to the
 * highest of those offsets is in what was read, and none after it was folded yet (events in
 * between, if any, are ones the fold skips, and skips again). The next offset to consume is that
 * highest offset + 1 (0 for a partition with no accounts). An account's events all live in its
 * one partition, so per-partition offsets are all a consumer continuing from them needs.
 */
public final class AccountPartitions {

  private AccountPartitions() {}

  /**
   * Feeds each account of {@code partition} (held here) to {@code each}; returns the offset of the
   * event topic from which what was fed is incomplete: the next one to consume.
   */
  public static long forEachAccount(ViewStores stores, int partition, Consumer<AccountView> each) {
    long[] highest = {-1};
    stores.<AccountView>forEachIn(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS, partition, (key, account) -> {
      highest[0] = Math.max(highest[0], account.sourceOffset());
      each.accept(account);
    });
    return highest[0] + 1;
  }
}
