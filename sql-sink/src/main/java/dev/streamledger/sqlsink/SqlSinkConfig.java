package dev.streamledger.sqlsink;

import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.SealedFor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's own settings (besides Connect's: {@code topics}, {@code tasks.max}, the
 * converters, which must be {@code ByteArrayConverter} for keys, values and headers, and the
 * dead-letter topic). Secrets are best given through a config provider, e.g.
 * {@code ${dir:/etc/streamledger/query:streamledger.query.seal-keys}}, so the REST API never shows them.
 */
final class SqlSinkConfig extends AbstractConfig {

  static final String URL = "connection.url";
  static final String USER = "connection.user";
  static final String PASSWORD = "connection.password";
  static final String SEAL_KEYS = "seal.keys";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
          "JDBC URL of the PostgreSQL database the ledger is copied into, e.g. jdbc:postgresql://db:5432/ledger")
      .define(USER, Type.STRING, null, Importance.HIGH, "Database user; owns the tables (the connector migrates them)")
      .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Database password")
      .define(SEAL_KEYS, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "The query service's seal keys (streamledger.query.seal-keys): base64 secrets, comma-separated, newest "
              + "first. An event without the projector's seal for the query side is dead-lettered, never folded");

  SqlSinkConfig(Map<String, String> properties) {
    super(DEFINITION, properties);
  }

  String url() {
    return getString(URL);
  }

  String user() {
    return getString(USER);
  }

  String password() {
    Password password = getPassword(PASSWORD);
    return password == null ? null : password.value();
  }

  /** The seal every folded event must carry: the projector's for the query side. */
  Seal seal() {
    List<String> keys = Arrays.stream(getPassword(SEAL_KEYS).value().split(","))
        .map(String::strip).filter(key -> !key.isEmpty()).toList();
    return SealedFor.QUERY_SERVICE.seal(keys);
  }
}
