package dev.streamledger.contract.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.consistency.ConsistencyToken.Condition;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.transfer.TransferEvent.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

  @Test
  void shouldNameWhatEachKindOfWriteChanged() {
    assertThat(ConsistencyToken.of(new OutcomeData.Account("a", "alice", "EUR", "1.00", 7)).conditions())
        .containsExactly(new Condition('a', "a", "7"));
    assertThat(ConsistencyToken.of(new OutcomeData.Transfer("t", Status.COMPLETED, "a", "b", "1.00", null))
        .conditions()).containsExactly(new Condition('d', "a", "t"), new Condition('c', "b", "t"));
    var opened = ConsistencyToken.of(new OutcomeData.Account("a", "alice", "EUR", "0.00", 1));
    assertThat(opened.conditions()).containsExactly(new Condition('a', "a", "1"), new Condition('o', "alice", "a"));
    assertThat(ConsistencyToken.decode(opened.encode())).hasValue(opened);
    assertThat(ConsistencyToken.of(new OutcomeData.User("alice", "A", Instant.EPOCH, 3L)).conditions())
        .containsExactly(new Condition('u', "alice", "3"));
    assertThat(ConsistencyToken.of(new OutcomeData.User("alice", "A", Instant.EPOCH, null)).conditions()).isEmpty();
    assertThat(ConsistencyToken.of(new OutcomeData.UserDeleted("alice", 3)).conditions())
        .containsExactly(new Condition('x', "alice", "3"));
    assertThat(ConsistencyToken.of(new OutcomeData.Transfer("t", Status.REFUNDED, "a", null, "1.00",
        "account-not-found")).conditions()).containsExactly(new Condition('r', "a", "t"));
    assertThat(ConsistencyToken.of(new OutcomeData.Transfer("t", Status.REJECTED, "a", "b", "1.00",
        "insufficient-funds")).conditions()).isEmpty();
    assertThat(ConsistencyToken.of(OutcomeData.NONE).conditions()).isEmpty();
  }

  @Test
  void shouldRoundTripAndRefuseWhatItDidNotMake() {
    var token = ConsistencyToken.of(new OutcomeData.Transfer("t-1", Status.COMPLETED, "a", "b", "1.00", null));
    assertThat(ConsistencyToken.decode(token.encode())).contains(token);
    assertThat(ConsistencyToken.decode(ConsistencyToken.NONE.encode())).contains(ConsistencyToken.NONE);
    assertThat(token.about("b")).containsExactly(new Condition('c', "b", "t-1"));
    for (String forged : new String[] {null, "", "x", "v1.!!!", "v1.eDph", "v1.YTphOnNldmVu"}) {
      assertThat(ConsistencyToken.decode(forged)).as(forged).isEmpty();
    }
  }
}
