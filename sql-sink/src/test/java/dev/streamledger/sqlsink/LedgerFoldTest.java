package dev.streamledger.sqlsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.account.AccountEvent.TransferDebited;
import dev.streamledger.contract.transfer.TransferEvent.Status;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserEvent.AccountAssigned;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.sqlsink.Rows.Source;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerFoldTest {

  private static final String ACCOUNTS = "streamledger.account-events.v1";
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private final LedgerFold fold = new LedgerFold(Map.of(), Map.of(), Map.of());

  private static Source at(long offset) {
    return new Source(ACCOUNTS, 2, offset);
  }

  private static AccountOpened opened(String id) {
    return new AccountOpened(id, 1, "r1", "alice", "EUR", T, null, "alice-subject");
  }

  @Test
  void shouldFoldAnAccountsEventsIntoItsRowAndOneStatementLineEach() {
    assertThat(fold.account("a", opened("a"), at(10), T)).isNull();
    assertThat(fold.account("a", new FundsDeposited("a", 2, "r2", "25.00", "25.00", T, null), at(11), T)).isNull();
    assertThat(fold.account("a", new TransferDebited("a", 3, "r3", "t1", "b", "5.50", "19.50", T, null), at(12), T))
        .isNull();

    assertThat(fold.changedAccounts()).singleElement().satisfies(account -> {
      assertThat(account.balance()).isEqualByComparingTo("19.50");
      assertThat(account.version()).isEqualTo(3);
      assertThat(account.source()).isEqualTo(at(12));
      assertThat(account.ownerSubject()).isEqualTo("alice-subject");
    });
    assertThat(fold.lines()).extracting(Rows.StatementLine::kind, line -> line.amount().toPlainString(),
            Rows.StatementLine::transferId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("AccountOpened", "0.00", null),
            org.assertj.core.groups.Tuple.tuple("FundsDeposited", "25.00", null),
            org.assertj.core.groups.Tuple.tuple("TransferDebited", "-5.50", "t1"));
  }

  @Test
  void shouldChangeNothingForAnEventTheRowHasSeen() {
    fold.account("a", opened("a"), at(10), T);
    fold.account("a", new FundsDeposited("a", 2, "r2", "25.00", "25.00", T, null), at(11), T);

    // redelivered: the same place, or an earlier one
    assertThat(fold.account("a", new FundsDeposited("a", 2, "r2", "25.00", "25.00", T, null), at(11), T)).isNull();
    assertThat(fold.account("a", opened("a"), at(10), T)).isNull();

    assertThat(fold.lines()).hasSize(2);
    assertThat(fold.changedAccounts()).singleElement().extracting(Rows.Account::version).isEqualTo(2L);
  }

  @Test
  void shouldRefuseAVersionThatDoesNotFollowTheRows() {
    fold.account("a", opened("a"), at(10), T);

    assertThat(fold.account("a", new FundsDeposited("a", 5, "r5", "1.00", "1.00", T, null), at(11), T))
        .isEqualTo("version 5 of account 'a' follows version 1");
    assertThat(fold.account("b", new FundsDeposited("b", 1, "r", "1.00", "1.00", T, null), at(12), T))
        .isEqualTo("a FundsDeposited on account 'b', which was never opened");
    assertThat(fold.account("c", opened("a"), at(13), T)).isEqualTo("key 'c' is not the event's account id 'a'");
    assertThat(fold.lines()).hasSize(1);
  }

  @Test
  void shouldKeepAFinalTransferStatusAndTheDestinationARefundDoesNotName() {
    Source pending = new Source("streamledger.transfer-events.v1", 0, 1);
    fold.transfer("t", new TransferEvent("t", Status.PENDING, "a", "b", "5.00", null, "r", T, null, null, null),
        pending, T);
    fold.transfer("t", new TransferEvent("t", Status.REFUNDED, "a", null, "5.00", "account-closed", "r", T, null,
        null, null), new Source("streamledger.transfer-events.v1", 0, 2), T);
    // a PENDING delivered again after the final status
    fold.transfer("t", new TransferEvent("t", Status.PENDING, "a", "b", "5.00", null, "r", T, null, null, null),
        new Source("streamledger.transfer-events.v1", 0, 3), T);

    assertThat(fold.changedTransfers()).singleElement().satisfies(transfer -> {
      assertThat(transfer.status()).isEqualTo("REFUNDED");
      assertThat(transfer.toAccount()).isEqualTo("b");
      assertThat(transfer.reason()).isEqualTo("account-closed");
    });
  }

  @Test
  void shouldAddAssignedAccountsToARegisteredUserOnly() {
    Source users = new Source("streamledger.user-events.v1", 1, 7);
    assertThat(fold.user("bob", new AccountAssigned("bob", 1, "r", "x", "EUR", T, null), users)).isEqualTo(
        "an account assigned to 'bob', who is not registered");
    fold.user("bob", new UserRegistered("bob", 1, "r", "Bob", "Bob", T, null, "bob-subject"),
        new Source("streamledger.user-events.v1", 1, 8));
    fold.user("bob", new AccountAssigned("bob", 1, "r", "x", "EUR", T, null),
        new Source("streamledger.user-events.v1", 1, 9));

    assertThat(fold.changedUsers()).singleElement().satisfies(user -> {
      assertThat(user.accountIds()).containsExactly("x");
      assertThat(user.subject()).isEqualTo("bob-subject");
    });
  }
}
