package dev.streamledger.sqlsink;

import dev.streamledger.sqlsink.Rows.Account;
import dev.streamledger.sqlsink.Rows.Source;
import dev.streamledger.sqlsink.Rows.StatementLine;
import dev.streamledger.sqlsink.Rows.Transfer;
import dev.streamledger.sqlsink.Rows.User;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The SQL copy's tables on one JDBC connection: migrations (Flyway, {@code db/migration}), reading
 * the rows a batch folds onto, and writing a batch's rows with the progress in one transaction.
 * Every write of a row is guarded in SQL as well: it takes effect only when the event that makes
 * it lies after the one that last wrote the row ({@link Source#isBefore}).
 */
final class LedgerTables implements AutoCloseable {

  /** Where in a row its last event's place is, and the guard every upsert of it carries. */
  private static final String SOURCE_COLUMNS = "source_topic, source_partition, source_offset";

  private static String guard(String table) {
    return " where " + table + ".source_topic <> excluded.source_topic"
        + " or " + table + ".source_partition <> excluded.source_partition"
        + " or " + table + ".source_offset < excluded.source_offset";
  }

  private static final String UPSERT_ACCOUNT = "insert into accounts (account_id, owner, owner_subject, currency,"
      + " balance, version, opened_at, updated_at, " + SOURCE_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " on conflict (account_id) do update set balance = excluded.balance, version = excluded.version,"
      + " updated_at = excluded.updated_at, source_topic = excluded.source_topic,"
      + " source_partition = excluded.source_partition, source_offset = excluded.source_offset" + guard("accounts");
  private static final String INSERT_LINE = "insert into statement_lines (account_id, version, kind, amount,"
      + " balance_after, transfer_id, request_id, occurred_at, recorded_at, " + SOURCE_COLUMNS + ")"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (account_id, version) do nothing";
  private static final String UPSERT_TRANSFER = "insert into transfers (transfer_id, status, from_account,"
      + " to_account, amount, reason, request_id, occurred_at, updated_at, " + SOURCE_COLUMNS + ")"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (transfer_id) do update set"
      + " status = excluded.status, from_account = excluded.from_account, to_account = excluded.to_account,"
      + " amount = excluded.amount, reason = excluded.reason, request_id = excluded.request_id,"
      + " occurred_at = excluded.occurred_at, updated_at = excluded.updated_at,"
      + " source_topic = excluded.source_topic, source_partition = excluded.source_partition,"
      + " source_offset = excluded.source_offset" + guard("transfers");
  private static final String UPSERT_USER = "insert into users (username, display_name, requested_as, subject,"
      + " registered_at, generation, account_ids, deleted, " + SOURCE_COLUMNS + ")"
      + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (username) do update set"
      + " display_name = excluded.display_name, requested_as = excluded.requested_as, subject = excluded.subject,"
      + " registered_at = excluded.registered_at, generation = excluded.generation,"
      + " account_ids = excluded.account_ids, deleted = excluded.deleted, source_topic = excluded.source_topic,"
      + " source_partition = excluded.source_partition, source_offset = excluded.source_offset" + guard("users");
  private static final String UPSERT_PROGRESS = "insert into sink_progress (topic, partition, next_offset, updated_at)"
      + " values (?, ?, ?, ?) on conflict (topic, partition) do update set next_offset = excluded.next_offset,"
      + " updated_at = excluded.updated_at where sink_progress.next_offset < excluded.next_offset";

  private final Connection connection;

  private LedgerTables(Connection connection) {
    this.connection = connection;
  }

  /**
   * Connects, brings the schema up to date (concurrent tasks wait for one another's migration), and
   * opens. A database that cannot be reached, also while migrating, is an {@link SQLException}.
   */
  static LedgerTables open(String url, String user, String password) throws SQLException {
    try {
      Flyway.configure(LedgerTables.class.getClassLoader())
          .dataSource(url, user, password)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof SQLException sql) {
          throw new SQLException("migrating the schema: " + e.getMessage(), sql.getSQLState(), sql);
        }
      }
      throw e; // not the database's answer: a migration that does not fit the schema, say
    }
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("reWriteBatchedInserts", "true"); // one INSERT of many rows per batch
    properties.setProperty("ApplicationName", "streamledger-sql-sink");
    // A commit need not wait for its WAL flush: a crash of the database loses at most the last
    // moments of rows with the progress that names them, and the connector folds them again
    // from Kafka, which still has them (docs/sql.md, "Why it is exact").
    // A batch waits at most this long for its partitions' progress rows: a task that still holds
    // them has lost its connection or hangs, and this one tries again.
    properties.setProperty("options", "-c synchronous_commit=off -c lock_timeout=30s");
    Connection connection = DriverManager.getConnection(url, properties);
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return new LedgerTables(connection);
  }

  /** The next offset to fold of each of {@code partitions} this database has progress for. */
  Map<TopicPartition, Long> progress(Collection<TopicPartition> partitions) throws SQLException {
    Map<TopicPartition, Long> progress = readProgress(partitions, "");
    connection.commit();
    return progress;
  }

  /**
   * The same, at the start of a batch's transaction, locking those rows until it ends: a task that
   * lost its partitions in a rebalance and still writes (a zombie) waits here for the new owner,
   * then finds the progress moved and writes nothing.
   */
  Map<TopicPartition, Long> lockProgress(Collection<TopicPartition> partitions) throws SQLException {
    // a partition folded for the first time has no row to lock yet: make it (next_offset 0 reads as none)
    try (PreparedStatement insert = connection.prepareStatement("insert into sink_progress"
        + " (topic, partition, next_offset, updated_at) select topic, partition, 0, now()"
        + " from unnest(?::text[], ?::integer[]) as p(topic, partition) on conflict do nothing")) {
      insert.setArray(1, textArray(partitions.stream().map(TopicPartition::topic).toList()));
      insert.setArray(2, connection.createArrayOf("integer",
          partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new)));
      insert.executeUpdate();
    }
    return readProgress(partitions, " for update");
  }

  private Map<TopicPartition, Long> readProgress(Collection<TopicPartition> partitions, String lock)
      throws SQLException {
    Map<TopicPartition, Long> progress = new HashMap<>();
    if (partitions.isEmpty()) {
      return progress;
    }
    try (PreparedStatement select = connection.prepareStatement("select topic, partition, next_offset"
        + " from sink_progress where (topic, partition) in (select * from unnest(?::text[], ?::integer[]))" + lock)) {
      select.setArray(1, textArray(partitions.stream().map(TopicPartition::topic).toList()));
      select.setArray(2, connection.createArrayOf("integer",
          partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new)));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (rows.getLong(3) > 0) {
            progress.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
          }
        }
      }
    }
    return progress;
  }

  /** Gives up the transaction under way (a batch that will not be written). */
  void rollback() throws SQLException {
    connection.rollback();
  }

  Map<String, Account> accounts(Collection<String> ids) throws SQLException {
    Map<String, Account> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    try (PreparedStatement select = connection.prepareStatement("select account_id, owner, owner_subject, currency,"
        + " balance, version, opened_at, updated_at, " + SOURCE_COLUMNS + " from accounts where account_id = any(?)")) {
      select.setArray(1, textArray(ids));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1), new Account(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), rows.getBigDecimal(5), rows.getLong(6), instant(rows, 7), instant(rows, 8),
              source(rows, 9)));
        }
      }
    }
    return found;
  }

  Map<String, Transfer> transfers(Collection<String> ids) throws SQLException {
    Map<String, Transfer> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    try (PreparedStatement select = connection.prepareStatement("select transfer_id, status, from_account,"
        + " to_account, amount, reason, request_id, occurred_at, updated_at, " + SOURCE_COLUMNS
        + " from transfers where transfer_id = any(?)")) {
      select.setArray(1, textArray(ids));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1), new Transfer(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), rows.getBigDecimal(5), rows.getString(6), rows.getString(7), instant(rows, 8),
              instant(rows, 9), source(rows, 10)));
        }
      }
    }
    return found;
  }

  Map<String, User> users(Collection<String> usernames) throws SQLException {
    Map<String, User> found = new HashMap<>();
    if (usernames.isEmpty()) {
      return found;
    }
    try (PreparedStatement select = connection.prepareStatement("select username, display_name, requested_as,"
        + " subject, registered_at, generation, account_ids, deleted, " + SOURCE_COLUMNS
        + " from users where username = any(?)")) {
      select.setArray(1, textArray(usernames));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String[] accountIds = (String[]) rows.getArray(7).getArray();
          found.put(rows.getString(1), new User(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), instant(rows, 5), rows.getLong(6), Arrays.asList(accountIds), rows.getBoolean(8),
              source(rows, 9)));
        }
      }
    }
    return found;
  }

  /** Writes what {@code fold} changed and the new progress, and commits: all or nothing. */
  void write(LedgerFold fold, Map<TopicPartition, Long> nextOffsets) throws SQLException {
    try {
      writeAccounts(fold.changedAccounts());
      writeLines(fold.lines());
      writeTransfers(fold.changedTransfers());
      writeUsers(fold.changedUsers());
      writeProgress(nextOffsets);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(e);
      throw e;
    }
  }

  private void writeAccounts(Collection<Account> accounts) throws SQLException {
    if (accounts.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_ACCOUNT)) {
      for (Account a : accounts) {
        upsert.setString(1, a.accountId());
        upsert.setString(2, a.owner());
        upsert.setString(3, a.ownerSubject());
        upsert.setString(4, a.currency());
        upsert.setBigDecimal(5, a.balance());
        upsert.setLong(6, a.version());
        setInstant(upsert, 7, a.openedAt());
        setInstant(upsert, 8, a.updatedAt());
        setSource(upsert, 9, a.source());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void writeLines(List<StatementLine> lines) throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_LINE)) {
      for (StatementLine l : lines) {
        insert.setString(1, l.accountId());
        insert.setLong(2, l.version());
        insert.setString(3, l.kind());
        insert.setBigDecimal(4, l.amount());
        insert.setBigDecimal(5, l.balanceAfter());
        insert.setString(6, l.transferId());
        insert.setString(7, l.requestId());
        setInstant(insert, 8, l.occurredAt());
        setInstant(insert, 9, l.recordedAt());
        setSource(insert, 10, l.source());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private void writeTransfers(Collection<Transfer> transfers) throws SQLException {
    if (transfers.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_TRANSFER)) {
      for (Transfer t : transfers) {
        upsert.setString(1, t.transferId());
        upsert.setString(2, t.status());
        upsert.setString(3, t.fromAccount());
        upsert.setString(4, t.toAccount());
        upsert.setBigDecimal(5, t.amount());
        upsert.setString(6, t.reason());
        upsert.setString(7, t.requestId());
        setInstant(upsert, 8, t.occurredAt());
        setInstant(upsert, 9, t.updatedAt());
        setSource(upsert, 10, t.source());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void writeUsers(Collection<User> users) throws SQLException {
    if (users.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_USER)) {
      for (User u : users) {
        upsert.setString(1, u.username());
        upsert.setString(2, u.displayName());
        upsert.setString(3, u.requestedAs());
        upsert.setString(4, u.subject());
        setInstant(upsert, 5, u.registeredAt());
        upsert.setLong(6, u.generation());
        upsert.setArray(7, textArray(u.accountIds()));
        upsert.setBoolean(8, u.deleted());
        setSource(upsert, 9, u.source());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private void writeProgress(Map<TopicPartition, Long> nextOffsets) throws SQLException {
    if (nextOffsets.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_PROGRESS)) {
      for (Map.Entry<TopicPartition, Long> next : nextOffsets.entrySet()) {
        upsert.setString(1, next.getKey().topic());
        upsert.setInt(2, next.getKey().partition());
        upsert.setLong(3, next.getValue());
        setInstant(upsert, 4, now);
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private Array textArray(Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(String[]::new));
  }

  private static void setSource(PreparedStatement statement, int first, Source source) throws SQLException {
    statement.setString(first, source.topic());
    statement.setInt(first + 1, source.partition());
    statement.setLong(first + 2, source.offset());
  }

  private static Source source(ResultSet rows, int first) throws SQLException {
    return new Source(rows.getString(first), rows.getInt(first + 1), rows.getLong(first + 2));
  }

  /**
   * An instant into a {@code timestamptz} column, whatever the JVM's time zone: to the
   * microsecond, PostgreSQL's resolution (cut, not rounded, so a rebuild writes the same value).
   */
  private static void setInstant(PreparedStatement statement, int column, Instant instant) throws SQLException {
    if (instant == null) {
      statement.setNull(column, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(column, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  private void rollbackQuietly(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }

  static {
    // the driver registers itself, but not with a plugin's class loader when DriverManager looks
    try {
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
