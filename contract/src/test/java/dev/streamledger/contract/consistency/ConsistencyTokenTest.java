package dev.streamledger.contract.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.consistency.ConsistencyToken.Condition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

  @Test
  void shouldNameWhatEachKindOfWriteChanged() {
    assertThat(ConsistencyToken.of(Map.of("accountId", "a", "version", "7")).conditions())
        .containsExactly(new Condition('a', "a", "7"));
    assertThat(ConsistencyToken.of(Map.of("transferId", "t", "status", "COMPLETED", "from", "a", "to", "b"))
        .conditions()).containsExactly(new Condition('d', "a", "t"), new Condition('c', "b", "t"));
    assertThat(ConsistencyToken.of(Map.of("accountId", "a", "version", "1", "owner", "alice")).conditions())
        .containsExactly(new Condition('a', "a", "1"), new Condition('o', "alice", "a"));
    assertThat(ConsistencyToken.of(Map.of("username", "alice", "displayName", "A", "generation", "3")).conditions())
        .containsExactly(new Condition('u', "alice", "3"));
    assertThat(ConsistencyToken.of(Map.of("username", "alice", "generation", "3", "deleted", "true")).conditions())
        .containsExactly(new Condition('x', "alice", "3"));
    var mixed = ConsistencyToken.of(Map.of("accountId", "a", "version", "1", "owner", "alice"));
    assertThat(ConsistencyToken.decode(mixed.encode())).hasValue(mixed);
    assertThat(ConsistencyToken.of(Map.of("transferId", "t", "status", "REFUNDED", "from", "a")).conditions())
        .containsExactly(new Condition('r', "a", "t"));
    assertThat(ConsistencyToken.of(Map.of("transferId", "t", "status", "REJECTED", "from", "a")).conditions())
        .isEmpty();
  }

  @Test
  void shouldRoundTripAndRefuseWhatItDidNotMake() {
    var token = ConsistencyToken.of(Map.of("transferId", "t-1", "status", "COMPLETED", "from", "a", "to", "b"));
    assertThat(ConsistencyToken.decode(token.encode())).contains(token);
    assertThat(ConsistencyToken.decode(ConsistencyToken.NONE.encode())).contains(ConsistencyToken.NONE);
    assertThat(token.about("b")).containsExactly(new Condition('c', "b", "t-1"));
    for (String forged : new String[] {null, "", "x", "v1.!!!", "v1.eDph", "v1.YTphOnNldmVu"}) {
      assertThat(ConsistencyToken.decode(forged)).as(forged).isEmpty();
    }
  }
}
