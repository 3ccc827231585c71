package dev.streamledger.system.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.testsupport.SharedPostgres;
import dev.streamledger.testsupport.TestSeals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * The SQL copy of the ledger in one database of the {@link SharedPostgres}: the settings of a
 * sql-sink connector that fills it, and the checks that it equals the query service's views.
 */
public final class SqlLedger {

  private final String database;

  public SqlLedger(String database) {
    this.database = database;
  }

  /** A new database for a copy. */
  public static SqlLedger create() {
    String database = Names.unique("ledger").replace('-', '_');
    SharedPostgres.createDatabase(database);
    return new SqlLedger(database);
  }

  public String database() {
    return database;
  }

  /** Drops the database, with any connection to it. */
  public void drop() {
    SharedPostgres.dropDatabase(database);
  }

  /** The settings of a sql-sink connector into this database, dead letters to {@code deadLetterTopic}. */
  public Map<String, String> connector(int tasks, String deadLetterTopic) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("connector.class", "dev.streamledger.sqlsink.SqlSinkConnector");
    settings.put("tasks.max", Integer.toString(tasks));
    settings.put("topics", String.join(",", Topics.ACCOUNT_EVENTS.name(), Topics.TRANSFER_EVENTS.name(),
        Topics.USER_EVENTS.name()));
    settings.put("connection.url", SharedPostgres.url(database));
    settings.put("connection.user", SharedPostgres.USER);
    settings.put("connection.password", SharedPostgres.password());
    settings.put("seal.keys", TestSeals.keysOf(SealedFor.QUERY_SERVICE).get(0));
    settings.put("errors.tolerance", "all");
    settings.put("errors.deadletterqueue.topic.name", deadLetterTopic);
    settings.put("errors.deadletterqueue.topic.replication.factor", "1");
    settings.put("errors.deadletterqueue.context.headers.enable", "true");
    return settings;
  }

  /** Waits until every account of {@code accounts} (and its transfers and owner) is in the copy as the views show it. */
  public void awaitSameAs(Bank bank, List<String> accounts, Duration within) {
    Awaitility.await("the SQL copy equal to the query service's views").atMost(within)
        .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(SQLException.class) // tables not made yet
        .untilAsserted(() -> assertSameAs(bank, accounts));
  }

  /**
   * Each account's owner, currency, balance and version, every statement line (version, kind,
   * amount, balance after, transfer, request, times), every transfer those lines name (status,
   * ends, amount, reason), and the owner's accounts: in SQL as in the query service's views.
   */
  @SuppressWarnings("unchecked")
  public void assertSameAs(Bank bank, List<String> accounts) throws SQLException {
    Set<String> transfers = new LinkedHashSet<>();
    try (Connection sql = SharedPostgres.connect(database)) {
      for (String account : accounts) {
        JsonNode view = Http.get(bank.query() + "/accounts/" + account).json();
        List<Map<String, Object>> rows = rows(sql, "select owner, currency, balance, version from accounts"
            + " where account_id = ?", account);
        assertThat(rows).as("account %s in SQL", account).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("owner")).isEqualTo(view.get("owner").asString());
        assertThat(row.get("currency")).isEqualTo(view.get("currency").asString());
        assertThat((BigDecimal) row.get("balance")).as("balance of %s", account)
            .isEqualByComparingTo(view.get("balance").asString());
        assertThat(row.get("version")).as("version of %s", account).isEqualTo(view.get("version").asLong());

        List<JsonNode> statement = bank.statement(account);
        List<Map<String, Object>> lines = rows(sql, "select version, kind, amount, balance_after, transfer_id,"
            + " request_id, occurred_at, recorded_at from statement_lines where account_id = ? order by version",
            account);
        assertThat(lines).as("statement lines of %s", account).hasSize(statement.size());
        for (int i = 0; i < lines.size(); i++) {
          Map<String, Object> line = lines.get(i);
          JsonNode entry = statement.get(i);
          String what = "line " + (i + 1) + " of " + account;
          assertThat(line.get("version")).as(what).isEqualTo(entry.get("version").asLong());
          assertThat(line.get("kind")).as(what).isEqualTo(entry.get("kind").asString());
          assertThat((BigDecimal) line.get("amount")).as(what).isEqualByComparingTo(entry.get("amount").asString());
          assertThat((BigDecimal) line.get("balance_after")).as(what)
              .isEqualByComparingTo(entry.get("balanceAfter").asString());
          assertThat(line.get("transfer_id")).as(what).isEqualTo(text(entry.get("transferId")));
          assertThat(line.get("request_id")).as(what).isEqualTo(text(entry.get("requestId")));
          assertThat(line.get("occurred_at")).as(what).isEqualTo(instant(entry.get("occurredAt")));
          assertThat(line.get("recorded_at")).as(what).isEqualTo(instant(entry.get("recordedAt")));
          if (line.get("transfer_id") != null) {
            transfers.add((String) line.get("transfer_id"));
          }
        }
      }
      for (String transfer : transfers) {
        JsonNode view = Http.get(bank.query() + "/transfers/" + transfer).json();
        List<Map<String, Object>> rows = rows(sql, "select status, from_account, to_account, amount, reason"
            + " from transfers where transfer_id = ?", transfer);
        assertThat(rows).as("transfer %s in SQL", transfer).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("status")).as("status of %s", transfer).isEqualTo(view.get("status").asString());
        assertThat(row.get("from_account")).isEqualTo(text(view.get("from")));
        assertThat(row.get("to_account")).isEqualTo(text(view.get("to")));
        assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo(view.get("amount").asString());
        assertThat(row.get("reason")).isEqualTo(text(view.get("reason")));
      }
      List<Map<String, Object>> owner = rows(sql, "select account_ids, deleted from users where username = ?",
          bank.owner());
      assertThat(owner).as("user %s in SQL", bank.owner()).hasSize(1);
      assertThat((List<Object>) owner.get(0).get("account_ids")).as("accounts of %s", bank.owner())
          .containsAll(accounts);
    }
  }

  /**
   * A digest of every table's whole content (in key order; the progress without the time it was
   * written): equal digests, equal copies.
   */
  public String digest() throws SQLException {
    StringBuilder digest = new StringBuilder();
    try (Connection sql = SharedPostgres.connect(database); Statement statement = sql.createStatement()) {
      for (String query : List.of(
          "select md5(coalesce(string_agg(t::text, '|' order by account_id), '')) from accounts t",
          "select md5(coalesce(string_agg(t::text, '|' order by account_id, version), '')) from statement_lines t",
          "select md5(coalesce(string_agg(t::text, '|' order by transfer_id), '')) from transfers t",
          "select md5(coalesce(string_agg(t::text, '|' order by username), '')) from users t",
          "select md5(coalesce(string_agg(topic || ':' || partition || '=' || next_offset, '|'"
              + " order by topic, partition), '')) from sink_progress")) {
        try (ResultSet result = statement.executeQuery(query)) {
          result.next();
          digest.append(result.getString(1)).append(' ');
        }
      }
    }
    return digest.toString().strip();
  }

  /**
   * The rows of {@code accounts}, their statement lines and the transfers from them, with each
   * row's version in PostgreSQL ({@code xmin}, new with every write of the row, even of the
   * same values): equal while none of them is written again.
   */
  public String digestOf(List<String> accounts) throws SQLException {
    StringBuilder digest = new StringBuilder();
    try (Connection sql = SharedPostgres.connect(database)) {
      for (String query : List.of(
          "select xmin::text || t::text from accounts t where account_id = any(?) order by account_id",
          "select xmin::text || t::text from statement_lines t where account_id = any(?) order by account_id, version",
          "select xmin::text || t::text from transfers t where from_account = any(?) order by transfer_id")) {
        try (PreparedStatement select = sql.prepareStatement(query)) {
          select.setArray(1, sql.createArrayOf("text", accounts.toArray()));
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              digest.append(rows.getString(1)).append('\n');
            }
          }
        }
      }
    }
    return digest.toString();
  }

  /** How many rows {@code table} has. */
  public long count(String table) throws SQLException {
    try (Connection sql = SharedPostgres.connect(database); Statement statement = sql.createStatement();
        ResultSet result = statement.executeQuery("select count(*) from " + table)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static List<Map<String, Object>> rows(Connection sql, String query, String parameter) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (PreparedStatement select = sql.prepareStatement(query)) {
      select.setString(1, parameter);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
            Object value = result.getObject(c);
            if (value instanceof java.sql.Array array) {
              value = Arrays.asList((Object[]) array.getArray());
            } else if (value instanceof java.sql.Timestamp) {
              value = result.getObject(c, OffsetDateTime.class).toInstant();
            }
            row.put(result.getMetaData().getColumnLabel(c), value);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }

  private static Instant instant(JsonNode node) {
    // PostgreSQL keeps microseconds: the copy holds the view's instant cut to them
    return node == null || node.isNull() ? null : Instant.parse(node.asString()).truncatedTo(ChronoUnit.MICROS);
  }
}
