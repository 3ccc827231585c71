package dev.streamledger.sqlsink;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Copies the ledger into PostgreSQL: folds {@code streamledger.account-events.v1},
 * {@code streamledger.transfer-events.v1} and {@code streamledger.user-events.v1} into the
 * tables of {@code db/migration}, exactly once into the database (docs/sql.md). Every task gets
 * the same settings; Connect spreads the partitions over them.
 */
public final class SqlSinkConnector extends SinkConnector {

  private Map<String, String> settings;

  @Override
  public void start(Map<String, String> props) {
    new SqlSinkConfig(props).seal(); // a missing or short key fails the connector, not each task
    this.settings = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return SqlSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, settings);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return SqlSinkConfig.DEFINITION;
  }

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }
}
