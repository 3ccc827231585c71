package dev.streamledger.sqlsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.sqlsink.Rows.Source;
import dev.streamledger.testsupport.SharedPostgres;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tables on a real PostgreSQL: the guard in SQL itself, progress and rows in one transaction. */
class LedgerTablesIT {

  private static final String TOPIC = "streamledger.account-events.v1";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 3);
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private LedgerTables tables;
  private String database;

  @BeforeEach
  void open() throws SQLException {
    database = "tables_" + UUID.randomUUID().toString().substring(0, 8);
    tables = LedgerTables.open(SharedPostgres.createDatabase(database), SharedPostgres.USER, SharedPostgres.password());
  }

  @AfterEach
  void close() {
    tables.close();
  }

  /** A fold that knows no rows, as after a lost batch: only the SQL guard stands between it and the table. */
  private static LedgerFold blind() {
    return new LedgerFold(Map.of(), Map.of(), Map.of());
  }

  @Test
  void shouldNotLetAnEventTheRowHasSeenOverwriteIt() throws SQLException {
    LedgerFold first = blind();
    first.account("a", new AccountOpened("a", 1, "r1", "alice", "EUR", T, null, null), new Source(TOPIC, 3, 10), T);
    tables.write(first, Map.of(PARTITION, 11L));
    LedgerFold later = new LedgerFold(tables.accounts(List.of("a")), Map.of(), Map.of());
    later.account("a", new FundsDeposited("a", 2, "r2", "7.00", "7.00", T, null), new Source(TOPIC, 3, 12), T);
    tables.write(later, Map.of(PARTITION, 13L));

    // the opening, delivered again to a fold that does not know the row: the SQL guard keeps version 2
    LedgerFold again = blind();
    again.account("a", new AccountOpened("a", 1, "r1", "alice", "EUR", T, null, null), new Source(TOPIC, 3, 10), T);
    tables.write(again, Map.of(PARTITION, 11L));

    Rows.Account row = tables.accounts(List.of("a")).get("a");
    assertThat(row.version()).isEqualTo(2);
    assertThat(row.balance()).isEqualByComparingTo(new BigDecimal("7.00"));
    assertThat(row.source()).isEqualTo(new Source(TOPIC, 3, 12));
    assertThat(tables.progress(List.of(PARTITION))).containsEntry(PARTITION, 13L);
  }

  @Test
  void shouldWriteTheRowsAndTheProgressTogetherOrNeither() throws SQLException {
    try (var sql = SharedPostgres.connect(database); var statement = sql.createStatement()) {
      statement.execute("alter table transfers add constraint below_100 check (amount < 100)");
    }
    LedgerFold batch = blind();
    batch.account("a", new AccountOpened("a", 1, "r1", "alice", "EUR", T, null, null), new Source(TOPIC, 3, 10), T);
    // written after the account: the transfer fails the table's check
    batch.transfer("t", new TransferEvent("t", TransferEvent.Status.PENDING, "a", "b", "500.00", null, "r2", T, null,
        null, null), new Source("streamledger.transfer-events.v1", 0, 4), T);

    assertThatThrownBy(() -> tables.write(batch, Map.of(PARTITION, 11L))).isInstanceOf(SQLException.class);

    assertThat(tables.accounts(List.of("a"))).isEmpty();
    assertThat(tables.progress(List.of(PARTITION))).isEmpty();
  }
}
