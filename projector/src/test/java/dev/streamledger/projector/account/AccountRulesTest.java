package dev.streamledger.projector.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.account.AccountCommand.CreditForTransfer;
import dev.streamledger.contract.account.AccountCommand.DebitForTransfer;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.OpenAccount;
import dev.streamledger.contract.account.AccountCommand.RefundTransfer;
import dev.streamledger.contract.account.AccountCommand.TransferSettled;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.transfer.TransferEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link AccountRules} and every way it refuses, as a table: an account's state and
 * its next command in, the decision out — which kind, which code, the balance after, the
 * transfer's status, the next stage. Pure functions: no Kafka, no store.
 */
class AccountRulesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RequestTimes TIMES = RequestTimes.receivedAt(T0);
  private static final Optional<Principal> ALICE = Optional.of(new Principal("alice-subject", false));
  private static final Optional<Principal> MALLORY = Optional.of(new Principal("mallory-subject", false));
  private static final Optional<Principal> OPERATOR = Optional.of(new Principal("ops", true));
  private static final Optional<Principal> STAGE = Optional.empty();   // written by the projector itself
  private static final AccountState A = new AccountState("a", "alice", "EUR", BigInteger.valueOf(1_000), 3,
      "alice-subject");   // 10.00 EUR
  private static final OpenedAccount B_EUR = new OpenedAccount("b", "bob", "EUR", "bob-subject");
  private static final OpenedAccount B_JPY = new OpenedAccount("b", "bob", "JPY", "bob-subject");

  /** What a decision must be; {@code null} fields are not checked (or must be absent, for {@code answer}). */
  record Expect(Class<? extends AccountRules.Decision> kind, OutcomeCode answer, String balanceAfter,
      TransferEvent.Status transfer, Class<? extends AccountCommand> next) {}

  record Case(String rule, AccountCommand command, Optional<Principal> sender, Optional<AccountState> current,
      Map<String, OpenedAccount> directory, Expect expect) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("opening a new account", open(), STAGE, Optional.empty(), Map.of(),
            accepted(Accepted.ACCOUNT_OPENED, "0.00", null, null)),
        new Case("opening an account id twice", open(), STAGE, Optional.of(A), Map.of(),
            rejected(Rejection.ACCOUNT_EXISTS, null)),
        new Case("a deposit by an operator", deposit("2.50"), OPERATOR, Optional.of(A), Map.of(),
            accepted(Accepted.FUNDS_DEPOSITED, "12.50", null, null)),
        new Case("a deposit by anyone else, even the holder", deposit("2.50"), ALICE, Optional.of(A), Map.of(),
            rejected(Rejection.FORBIDDEN, null)),
        new Case("a deposit to no account", deposit("2.50"), OPERATOR, Optional.empty(), Map.of(),
            rejected(Rejection.ACCOUNT_NOT_FOUND, null)),
        new Case("a deposit finer than the currency", deposit("0.001"), OPERATOR, Optional.of(A), Map.of(),
            rejected(Rejection.INVALID_AMOUNT, null)),
        new Case("a withdrawal by the holder", withdraw("4.00"), ALICE, Optional.of(A), Map.of(),
            accepted(Accepted.FUNDS_WITHDRAWN, "6.00", null, null)),
        new Case("a withdrawal of the whole balance", withdraw("10.00"), ALICE, Optional.of(A), Map.of(),
            accepted(Accepted.FUNDS_WITHDRAWN, "0.00", null, null)),
        new Case("a withdrawal of a cent more than the balance", withdraw("10.01"), ALICE, Optional.of(A), Map.of(),
            rejected(Rejection.INSUFFICIENT_FUNDS, null)),
        new Case("a withdrawal by someone else", withdraw("1.00"), MALLORY, Optional.of(A), Map.of(),
            rejected(Rejection.FORBIDDEN, null)),
        new Case("a withdrawal by an operator, who holds no account", withdraw("1.00"), OPERATOR, Optional.of(A),
            Map.of(), rejected(Rejection.FORBIDDEN, null)),
        new Case("a withdrawal from no account", withdraw("1.00"), ALICE, Optional.empty(), Map.of(),
            rejected(Rejection.ACCOUNT_NOT_FOUND, null)),
        new Case("a withdrawal finer than the currency", withdraw("1.005"), ALICE, Optional.of(A), Map.of(),
            rejected(Rejection.INVALID_AMOUNT, null)),
        new Case("a debit the directory vouches for: answered at once", debit("3.00"), ALICE, Optional.of(A),
            Map.of("b", B_EUR), accepted(Accepted.TRANSFER_COMPLETED, "7.00", TransferEvent.Status.COMPLETED,
                CreditForTransfer.class)),
        new Case("a debit to an account the directory does not know: the credit answers", debit("3.00"), ALICE,
            Optional.of(A), Map.of(), accepted(null, "7.00", TransferEvent.Status.PENDING, CreditForTransfer.class)),
        new Case("a debit to an account of another currency: the credit answers", debit("3.00"), ALICE,
            Optional.of(A), Map.of("b", B_JPY), accepted(null, "7.00", TransferEvent.Status.PENDING,
                CreditForTransfer.class)),
        new Case("a debit of more than the balance", debit("10.01"), ALICE, Optional.of(A), Map.of("b", B_EUR),
            rejected(Rejection.INSUFFICIENT_FUNDS, TransferEvent.Status.REJECTED)),
        new Case("a debit by someone else", debit("1.00"), MALLORY, Optional.of(A), Map.of("b", B_EUR),
            rejected(Rejection.FORBIDDEN, TransferEvent.Status.REJECTED)),
        new Case("a debit from no account", debit("1.00"), ALICE, Optional.empty(), Map.of("b", B_EUR),
            rejected(Rejection.ACCOUNT_NOT_FOUND, TransferEvent.Status.REJECTED)),
        new Case("a debit finer than the currency", debit("0.001"), ALICE, Optional.of(A), Map.of("b", B_EUR),
            rejected(Rejection.INVALID_AMOUNT, TransferEvent.Status.REJECTED)),
        new Case("a credit the debit answered already", credit("3.00", "EUR", true, "r1"), STAGE, Optional.of(A),
            Map.of(), accepted(null, "13.00", null, null)),
        new Case("a credit that answers", credit("3.00", "EUR", false, "r1"), STAGE, Optional.of(A), Map.of(),
            accepted(Accepted.TRANSFER_COMPLETED, "13.00", TransferEvent.Status.COMPLETED, null)),
        new Case("a credit that answers a keyed request: the source's memory of keys learns it",
            credit("3.00", "EUR", false, RequestIds.keyed(RequestIds.keyId("client", "k1"), "f1")), STAGE,
            Optional.of(A), Map.of(), accepted(Accepted.TRANSFER_COMPLETED, "13.00", TransferEvent.Status.COMPLETED,
                TransferSettled.class)),
        new Case("a credit to no account: refunded", credit("3.00", "EUR", false, "r1"), STAGE, Optional.empty(),
            Map.of(), passedOn(RefundTransfer.class)),
        new Case("a credit in another currency: refunded", credit("300", "JPY", false, "r1"), STAGE, Optional.of(A),
            Map.of(), passedOn(RefundTransfer.class)),
        new Case("a refund: the money goes back, the transfer is answered rejected",
            new RefundTransfer("r1", "t1", "a", "3.00", "account-not-found", "no account 'b'", TIMES), STAGE,
            Optional.of(A), Map.of(), accepted(Rejection.ACCOUNT_NOT_FOUND, "13.00", TransferEvent.Status.REFUNDED,
                null)),
        new Case("a settled transfer: news for the memory of keys only",
            new TransferSettled("r1", "t1", "a", Outcome.rejected("r1", Rejection.INSUFFICIENT_FUNDS, "t1", "x", T0),
                TIMES), STAGE, Optional.of(A), Map.of(), passedOn(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldDecideEachCommandByItsRule(Case example) {
    AccountRules.Decision decision = AccountRules.decide(example.command(), example.sender(), example.current(),
        id -> Optional.ofNullable(example.directory().get(id)), T0);
    Expect expect = example.expect();
    assertThat(decision).isInstanceOf(expect.kind());
    if (decision instanceof AccountRules.Accepted accepted) {
      assertThat(accepted.answer().map(Outcome::code).orElse(null)).isEqualTo(expect.answer());
      assertThat(accepted.state().version()).isEqualTo(example.current().map(AccountState::version).orElse(0L) + 1);
      assertThat(accepted.event().version()).isEqualTo(accepted.state().version());
      assertThat(balance(accepted.state())).isEqualTo(expect.balanceAfter());
      assertThat(accepted.transfer().map(TransferEvent::status).orElse(null)).isEqualTo(expect.transfer());
      assertThat(accepted.next().map(Object::getClass).orElse(null)).isEqualTo(expect.next());
      accepted.answer().ifPresent(outcome -> assertThat(outcome.requestId()).isEqualTo(example.command().requestId()));
    } else if (decision instanceof AccountRules.Rejected rejected) {
      assertThat(rejected.reason()).isEqualTo(expect.answer());
      assertThat(rejected.outcome().requestId()).isEqualTo(example.command().requestId());
      assertThat(rejected.transfer().map(TransferEvent::status).orElse(null)).isEqualTo(expect.transfer());
      if (example.command() instanceof DebitForTransfer) {
        assertThat(rejected.outcome().data()).isInstanceOfSatisfying(OutcomeData.Transfer.class,
            data -> assertThat(data.reason()).isEqualTo(expect.answer().wireName()));
      }
    } else {
      assertThat(((AccountRules.PassedOn) decision).next().map(Object::getClass).orElse(null))
          .isEqualTo(expect.next());
    }
  }

  @Test
  void shouldAnswerADebitTheDirectoryVouchesForWithTheTransferItCompletes() {
    var decision = (AccountRules.Accepted) AccountRules.decide(debit("3.00"), ALICE, Optional.of(A),
        id -> Optional.of(B_EUR), T0);
    assertThat(decision.answer().orElseThrow().data()).isEqualTo(new OutcomeData.Transfer("t1",
        TransferEvent.Status.COMPLETED, "a", "b", "3.00", null));
    assertThat((CreditForTransfer) decision.next().orElseThrow()).satisfies(credit -> {
      assertThat(credit.settled()).isTrue();
      assertThat(credit.accountId()).isEqualTo("b");
      assertThat(credit.amount()).isEqualTo("3.00");
    });
  }

  @Test
  void shouldRefuseAStageFromAClientAndAClientCommandWithoutASender() {
    assertThatThrownBy(() -> AccountRules.decide(open(), ALICE, Optional.empty(), id -> Optional.empty(), T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AccountRules.decide(withdraw("1.00"), STAGE, Optional.of(A), id -> Optional.empty(), T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Expect accepted(OutcomeCode answer, String balance, TransferEvent.Status transfer,
      Class<? extends AccountCommand> next) {
    return new Expect(AccountRules.Accepted.class, answer, balance, transfer, next);
  }

  private static Expect rejected(Rejection reason, TransferEvent.Status transfer) {
    return new Expect(AccountRules.Rejected.class, reason, null, transfer, null);
  }

  private static Expect passedOn(Class<? extends AccountCommand> next) {
    return new Expect(AccountRules.PassedOn.class, null, null, null, next);
  }

  private static String balance(AccountState state) {
    return dev.streamledger.contract.account.Money.format(state.balanceMinor(),
        java.util.Currency.getInstance(state.currency()));
  }

  private static OpenAccount open() {
    return new OpenAccount("r1", "a", "alice", "EUR", TIMES, "alice-subject");
  }

  private static Deposit deposit(String amount) {
    return new Deposit("r1", "a", amount, TIMES, null);
  }

  private static Withdraw withdraw(String amount) {
    return new Withdraw("r1", "a", amount, TIMES, null);
  }

  private static DebitForTransfer debit(String amount) {
    return new DebitForTransfer("r1", "t1", "a", "b", amount, TIMES, null);
  }

  private static CreditForTransfer credit(String amount, String currency, boolean settled, String requestId) {
    return new CreditForTransfer(requestId, "t1", "a", "z", amount, currency, settled, TIMES, "zed-subject");
  }
}
