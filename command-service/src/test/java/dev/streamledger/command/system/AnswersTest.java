package dev.streamledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.transfer.TransferEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refused command's problem body keeps RFC 9457's members its own. */
class AnswersTest {

  /** One of every kind of outcome data. */
  private static final List<OutcomeData> EVERY_KIND = List.of(
      OutcomeData.NONE,
      new OutcomeData.Account("a1", "alice", "EUR", "5.00", 3),
      new OutcomeData.Transfer("t1", TransferEvent.Status.REJECTED, "a", "b", "5.00", "insufficient-funds"),
      new OutcomeData.User("alice", "Alice", Instant.EPOCH, 1L),
      new OutcomeData.UserDeleted("alice", 1),
      new OutcomeData.KeyReused(Instant.EPOCH));

  @Test
  void shouldNameATransfersStatusApartFromTheProblemsStatus() {
    assertThat(Answers.problemMember("status")).isEqualTo("transferStatus");
    assertThat(Answers.problemMember("transferId")).isEqualTo("transferId");
  }

  @Test
  void shouldGiveNoFieldOfAnyKindAProblemMembersName() {
    assertThat(EVERY_KIND.stream().map(Object::getClass).toList())
        .as("a sample of every kind of outcome data")
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(OutcomeData.class.getPermittedSubclasses()));
    assertThat(EVERY_KIND).allSatisfy(data -> assertThat(data.fields().keySet())
        .allSatisfy(field -> assertThat(Answers.PROBLEM_MEMBERS).doesNotContain(Answers.problemMember(field))));
  }
}
