package dev.streamledger.contract.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Outcomes as the projector wrote them before codes and data were typed: they read, and write back the same. */
  @Test
  void shouldReadEveryKindOfOutcomeWrittenBeforeItWasTypedAndWriteItTheSame() {
    // as the serializer of 5f2faf3 (string codes, Map data) wrote them; the last two are the
    // shapes of a registration and a deletion before generations were reported (1189a22)
    List<String> written = List.of(
        "{\"schemaVersion\":1,\"requestId\":\"r1\",\"status\":\"ACCEPTED\",\"code\":\"funds-deposited\",\"subject\":\"a1\",\"detail\":\"deposited 5.00\",\"data\":{\"accountId\":\"a1\",\"balance\":\"5.00\",\"currency\":\"EUR\",\"owner\":\"alice\",\"version\":\"2\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}",
        "{\"schemaVersion\":1,\"requestId\":\"r2\",\"status\":\"ACCEPTED\",\"code\":\"transfer-completed\",\"subject\":\"t\",\"detail\":\"transferred 1.00 EUR\",\"data\":{\"amount\":\"1.00\",\"from\":\"a1\",\"status\":\"COMPLETED\",\"to\":\"a2\",\"transferId\":\"t\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}",
        "{\"schemaVersion\":1,\"requestId\":\"r3\",\"status\":\"REJECTED\",\"code\":\"account-not-found\",\"subject\":\"t\",\"detail\":\"no account; the amount was refunded\",\"data\":{\"amount\":\"1.00\",\"from\":\"a1\",\"reason\":\"account-not-found\",\"status\":\"REFUNDED\",\"transferId\":\"t\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"replayed\":true,\"accepted\":false}",
        "{\"schemaVersion\":1,\"requestId\":\"r4\",\"status\":\"ACCEPTED\",\"code\":\"user-registered\",\"subject\":\"alice\",\"detail\":\"registered 'alice'\",\"data\":{\"displayName\":\"Alice\",\"generation\":\"1\",\"registeredAt\":\"2026-01-01T00:00:00.123Z\",\"username\":\"alice\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}",
        "{\"schemaVersion\":1,\"requestId\":\"r5\",\"status\":\"ACCEPTED\",\"code\":\"user-deleted\",\"subject\":\"alice\",\"detail\":\"deleted\",\"data\":{\"deleted\":\"true\",\"generation\":\"1\",\"username\":\"alice\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}",
        "{\"schemaVersion\":1,\"requestId\":\"r6\",\"status\":\"REJECTED\",\"code\":\"idempotency-key-reused\",\"subject\":null,\"detail\":\"used\",\"data\":{\"firstUsedAt\":\"2025-12-31T00:00:00Z\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":false}",
        "{\"schemaVersion\":1,\"requestId\":\"r7\",\"status\":\"REJECTED\",\"code\":\"username-taken\",\"subject\":\"alice\",\"detail\":\"taken\",\"data\":{},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":false}",
        "{\"schemaVersion\":1,\"requestId\":\"r8\",\"status\":\"REJECTED\",\"code\":\"insufficient-funds\",\"subject\":\"t\",\"detail\":\"the balance is 0.00 EUR\",\"data\":{\"amount\":\"1.00\",\"from\":\"a1\",\"reason\":\"insufficient-funds\",\"status\":\"REJECTED\",\"to\":\"a2\",\"transferId\":\"t\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":false}",
        "{\"schemaVersion\":1,\"requestId\":\"r9\",\"status\":\"ACCEPTED\",\"code\":\"user-registered\",\"subject\":\"bob\",\"detail\":\"registered 'bob'\",\"data\":{\"displayName\":\"Bob\",\"registeredAt\":\"2026-01-01T00:00:00Z\",\"username\":\"bob\"},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}",
        "{\"schemaVersion\":1,\"requestId\":\"r10\",\"status\":\"ACCEPTED\",\"code\":\"user-deleted\",\"subject\":\"bob\",\"detail\":\"deleted 'bob'; the name is free again\",\"data\":{},\"decidedAt\":\"2026-01-01T00:00:00Z\",\"accepted\":true}");
    List<Class<?>> kinds = List.of(OutcomeData.Account.class, OutcomeData.Transfer.class, OutcomeData.Transfer.class,
        OutcomeData.User.class, OutcomeData.UserDeleted.class, OutcomeData.KeyReused.class, OutcomeData.None.class,
        OutcomeData.Transfer.class, OutcomeData.User.class, OutcomeData.None.class);
    for (int i = 0; i < written.size(); i++) {
      Outcome outcome = read(written.get(i));
      assertThat(outcome.data()).as(written.get(i)).isInstanceOf(kinds.get(i));
      assertThat(new String(Topics.OUTCOMES.valueSerde().serializer().serialize(Topics.OUTCOMES.name(), outcome),
          StandardCharsets.UTF_8)).isEqualTo(written.get(i));
    }
    Outcome refund = read(written.get(2));
    assertThat(refund.code()).isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
    assertThat(refund.replayed()).isTrue();
    assertThat(refund.data()).isEqualTo(new OutcomeData.Transfer("t", TransferEvent.Status.REFUNDED, "a1", null,
        "1.00", "account-not-found"));
    assertThat(read(written.get(8)).data()).isEqualTo(new OutcomeData.User("bob", "Bob", T0, null));
  }

  @Test
  void shouldRefuseAnOutcomeWithAnUnknownCodeOrMalformedData() {
    assertThatThrownBy(() -> read("{\"requestId\":\"r\",\"status\":\"ACCEPTED\",\"code\":\"money-printed\","
        + "\"data\":{},\"decidedAt\":\"2026-01-01T00:00:00Z\"}")).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> read("{\"requestId\":\"r\",\"status\":\"ACCEPTED\",\"code\":\"funds-deposited\","
        + "\"data\":{\"accountId\":\"a\",\"version\":\"seven\"},\"decidedAt\":\"2026-01-01T00:00:00Z\"}"))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> read("{\"requestId\":\"r\",\"status\":\"REJECTED\",\"code\":\"funds-deposited\","
        + "\"data\":{},\"decidedAt\":\"2026-01-01T00:00:00Z\"}")).isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldGiveEveryRejectionAClientErrorAndAProblemTypeOfItsOwnName() {
    for (Rejection rejection : Rejection.values()) {
      assertThat(rejection.status()).as(rejection.wireName()).isBetween(400, 499);
      assertThat(rejection.problemType()).hasToString("/problems/" + rejection.wireName());
      assertThat(OutcomeCode.of(rejection.wireName())).isSameAs(rejection);
    }
    Set<String> names = OutcomeCode.all().map(OutcomeCode::wireName).collect(Collectors.toSet());
    assertThat(names).hasSize(Accepted.values().length + Rejection.values().length);
    assertThat(Rejection.ACCOUNT_NOT_FOUND.status(false)).isEqualTo(422);
    assertThat(Rejection.ACCOUNT_NOT_FOUND.status(true)).isEqualTo(404);
    assertThat(Rejection.FORBIDDEN.status(false)).isEqualTo(403);
  }

  @Test
  void shouldTakeItsStatusFromItsCode() {
    Outcome accepted = Outcome.accepted("r", Accepted.USER_DELETED, "alice", "deleted",
        new OutcomeData.UserDeleted("alice", 2), T0);
    assertThat(accepted.isAccepted()).isTrue();
    assertThat(accepted.rejection()).isEmpty();
    Outcome rejected = Outcome.rejected("r", Rejection.USERNAME_TAKEN, "alice", "taken", T0);
    assertThat(rejected.status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(rejected.rejection()).hasValue(Rejection.USERNAME_TAKEN);
    assertThat(rejected.data()).isEqualTo(OutcomeData.NONE);
  }

  private static Outcome read(String json) {
    return Topics.OUTCOMES.valueSerde().deserializer().deserialize(Topics.OUTCOMES.name(),
        json.getBytes(StandardCharsets.UTF_8));
  }
}
