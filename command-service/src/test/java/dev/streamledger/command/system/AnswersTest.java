package dev.streamledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.transfer.TransferEvent;
import org.junit.jupiter.api.Test;

/** A refused command's problem body keeps RFC 9457's members its own. */
class AnswersTest {

  private final OutcomeData refused =
      new OutcomeData.Transfer("t1", TransferEvent.Status.REJECTED, "a", "b", "5.00", "insufficient-funds");

  @Test
  void shouldNameATransfersStatusApartFromTheProblemsStatus() {
    assertThat(Answers.problemMember(refused, "status")).isEqualTo("transferStatus");
  }

  @Test
  void shouldKeepEveryOtherFieldsName() {
    assertThat(refused.fields().keySet()).allSatisfy(field -> {
      if (!field.equals("status")) {
        assertThat(Answers.problemMember(refused, field)).isEqualTo(field);
      }
    });
  }
}
