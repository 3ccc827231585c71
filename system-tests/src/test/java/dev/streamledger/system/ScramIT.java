package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streamledger.command.CommandServiceApplication;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.TopicProvisioner;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.ProjectorApplication;
import dev.streamledger.query.QueryServiceApplication;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.SlowSystemTest;
import dev.streamledger.testsupport.LoopbackPorts;
import dev.streamledger.testsupport.Repository;
import dev.streamledger.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Least privilege for real, as deployed: a KRaft broker that only speaks SASL/SCRAM-SHA-512 over
 * TLS ({@code SASL_SSL}, with a certificate made for the test by the JDK's keytool) and enforces
 * ACLs (its own process, from the project's Kafka jars, since the shared test broker is plain),
 * the ACLs of {@code k8s/base/kafka-users.yaml} applied as they are, and the three services each
 * connecting as its own principal, configured only through {@code streamledger.kafka.client.*}
 * the way {@code k8s/base/config.yaml} does (a PEM truststore). A deposit and a transfer go
 * through; a principal cannot do what its ACLs leave out; a client that does not speak TLS, or
 * does not trust the broker's certificate, gets nowhere.
 */
@SlowSystemTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScramIT {

  private static final Path ROOT = Repository.root();
  private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
  private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
  private static final List<String> USERS = List.of("streamledger-command-service", "streamledger-projector",
      "streamledger-query-service");

  private Path data;
  private final Map<String, String> passwords = new HashMap<>();
  private final List<ConfigurableApplicationContext> running = new ArrayList<>();
  private Process broker;
  private String bootstrap;
  private String command;
  private String query;

  @BeforeAll
  void startASecuredBrokerAndTheServices() throws Exception {
    data = Files.createTempDirectory("streamledger-scram-it");
    USERS.forEach(user -> passwords.put(user, UUID.randomUUID().toString()));
    makeCertificate();
    int port = LoopbackPorts.free();
    int controller = LoopbackPorts.free();
    bootstrap = "127.0.0.1:" + port;
    Path props = data.resolve("server.properties");
    Map<String, String> config = new LinkedHashMap<>(SharedKafka.BROKER_PROPERTIES);
    config.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controller),
        Map.entry("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller),
        Map.entry("advertised.listeners", "SASL_SSL://127.0.0.1:" + port),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "SASL_SSL"),
        Map.entry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"),
        Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512"),
        Map.entry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512"),
        Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("admin", ADMIN_PASSWORD)),
        Map.entry("ssl.keystore.type", "PKCS12"),
        Map.entry("ssl.keystore.location", data.resolve("broker.p12").toString()),
        Map.entry("ssl.keystore.password", STORE_PASSWORD),
        Map.entry("ssl.key.password", STORE_PASSWORD),
        // the broker is a client of its own listener too
        Map.entry("ssl.truststore.type", "PEM"),
        Map.entry("ssl.truststore.location", data.resolve("broker.crt").toString()),
        Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        // the controller listener is plaintext on loopback: the broker's own calls to it
        Map.entry("super.users", "User:admin;User:ANONYMOUS"),
        Map.entry("allow.everyone.if.no.acl.found", "false"),
        Map.entry("num.partitions", "1"),
        Map.entry("log.dirs", data.resolve("kafka").toString())));
    StringBuilder text = new StringBuilder();
    config.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    Files.writeString(props, text);

    List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t",
        Uuid.randomUuid().toString(), "-c", props.toString(), "--add-scram",
        "SCRAM-SHA-512=[name=admin,password=" + ADMIN_PASSWORD + "]"));
    passwords.forEach((user, password) -> format.addAll(List.of("--add-scram",
        "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]")));
    Process formatting = kafka(format, data.resolve("format.log"));
    assertThat(formatting.waitFor(60, TimeUnit.SECONDS) && formatting.exitValue() == 0)
        .as("storage format: %s", Files.readString(data.resolve("format.log"))).isTrue();
    broker = kafka(List.of("kafka.Kafka", props.toString()), data.resolve("kafka.log"));

    try (Admin admin = Admin.create(client("admin", ADMIN_PASSWORD))) {
      await("the secured broker").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> admin.describeCluster().nodes().get().size() == 1);
      // as on Kubernetes: topics and ACLs are the platform's (Strimzi's), not the services'
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, 1, KafkaSettings.DEFAULT_PARTITIONS);
      var acls = aclsOf(ROOT.resolve("k8s/base/kafka-users.yaml"));
      admin.createAcls(acls).all().get();
      // the broker applies ACLs from the metadata log a moment later: a service started before
      // then would see no topic at all
      await("the ACLs in force").atMost(Duration.ofSeconds(30))
          .until(() -> admin.describeAcls(AclBindingFilter.ANY).values().get().size() >= Set.copyOf(acls).size());
    }

    String run = UUID.randomUUID().toString().substring(0, 8);
    start(ProjectorApplication.builder(), "streamledger-projector", Map.of(
        "streamledger.projector.application-id", "streamledger-projector-" + run,
        "streamledger.projector.state-dir", data.resolve("projector").toString()));
    int queryPort = LoopbackPorts.free();
    query = start(QueryServiceApplication.builder(), "streamledger-query-service", Map.of(
        "streamledger.query.application-id", "streamledger-query-" + run,
        "streamledger.query.state-dir", data.resolve("query").toString(),
        "streamledger.query.advertised-url", "http://127.0.0.1:" + queryPort,
        "server.port", Integer.toString(queryPort)));
    command = start(CommandServiceApplication.builder(), "streamledger-command-service", Map.of(
        "streamledger.command.query-base-url", query,
        "streamledger.command.outcome-wait", "20s"));
  }

  @AfterAll
  void stopEverything() throws InterruptedException, IOException {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    if (broker != null) {
      broker.destroy();
      if (!broker.waitFor(30, TimeUnit.SECONDS)) {
        broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    Services.deleteRecursively(data);
  }

  @Test
  void shouldRunTheLedgerWithEachServiceAsItsOwnPrincipal() {
    Bank alice = Bank.register(command, query, unique("scram-a"));
    Bank bob = Bank.register(command, query, unique("scram-b"));
    String from = alice.open("EUR", "10.00");
    String to = bob.open("EUR", null);

    assertThat(alice.transfer(from, to, "4.00").status()).isEqualTo(201);
    alice.awaitTotal(List.of(from, to), "10.00", Duration.ofSeconds(30));
    assertThat(Http.get(query + "/accounts/" + to).json().get("balance").asString()).isEqualTo("4.00");
  }

  @Test
  void shouldNotLetAPrincipalDoWhatItsAclsLeaveOut() {
    // the command service writes commands but may not read them (tokens rest there) ...
    Map<String, Object> consumer = client("streamledger-command-service", passwords.get("streamledger-command-service"));
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "not-granted");
    try (var reader = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
      reader.assign(List.of(new TopicPartition(Topics.ACCOUNT_COMMANDS.name(), 0)));
      reader.seekToBeginning(reader.assignment());
      assertThatThrownBy(() -> reader.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
    }
    // ... and the query service may not write a command
    assertRefusedToWrite("streamledger-query-service", Topics.ACCOUNT_COMMANDS.name());
    // what services act on because the projector wrote it — answers, events, the account
    // directory — only the projector may write: besides the seals its readers check, neither
    // other service can even try to forge an answer, a balance or a directory entry
    // (docs/security.md, "Records services trust")
    for (String user : List.of("streamledger-command-service", "streamledger-query-service")) {
      for (String topic : List.of(Topics.OUTCOMES.name(), Topics.ACCOUNT_EVENTS.name(), Topics.TRANSFER_EVENTS.name(),
          Topics.USER_EVENTS.name(), Topics.ACCOUNT_DIRECTORY.name())) {
        assertRefusedToWrite(user, topic);
      }
    }
  }

  private void assertRefusedToWrite(String user, String topic) {
    Map<String, Object> producer = client(user, passwords.get(user));
    producer.put("max.block.ms", 10_000);
    try (var writer = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> writer.send(new ProducerRecord<>(topic, "a", "{}")).get()).as("%s writing %s", user, topic)
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void shouldRefuseClientsThatDoNotSpeakTlsOrDoNotTrustTheBroker() {
    String user = "streamledger-projector";
    Map<String, Object> plain = client(user, passwords.get(user));
    plain.put("security.protocol", "SASL_PLAINTEXT");
    plain.keySet().removeIf(key -> key.startsWith("ssl."));
    Map<String, Object> untrusting = client(user, passwords.get(user));
    untrusting.keySet().removeIf(key -> key.startsWith("ssl.")); // the JDK's own CAs: not the broker's
    for (var settings : List.of(plain, untrusting)) {
      settings.put("default.api.timeout.ms", 8_000);
      settings.put("request.timeout.ms", 4_000);
      try (Admin admin = Admin.create(settings)) {
        assertThatThrownBy(() -> admin.listTopics().names().get()).as("%s", settings.get("security.protocol"))
            .isInstanceOf(ExecutionException.class);
      }
    }
    // the same principal with TLS and the broker's certificate gets in
    try (Admin admin = Admin.create(client(user, passwords.get(user)))) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> admin.listTopics().names().get().contains(Topics.OUTCOMES.name()));
    }
  }

  /**
   * The broker's key and self-signed certificate for 127.0.0.1, made with the JDK's keytool: a
   * PKCS12 keystore for the broker and the certificate alone as PEM, the clients' truststore (as
   * Strimzi's cluster CA is given to the services).
   */
  private void makeCertificate() throws IOException, InterruptedException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    keytool(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", data.resolve("broker.p12").toString(),
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", data.resolve("broker.p12").toString(),
        "-storepass", STORE_PASSWORD, "-file", data.resolve("broker.crt").toString());
  }

  private void keytool(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool: %s", output).isZero();
  }

  private String start(SpringApplicationBuilder app, String user, Map<String, String> own) {
    Map<String, String> props = new LinkedHashMap<>(own);
    props.put("streamledger.kafka.bootstrap-servers", bootstrap);
    client(user, passwords.get(user)).forEach((key, value) -> {
      if (!key.equals("bootstrap.servers")) {
        props.put("streamledger.kafka.client.[" + key + "]", value.toString());
      }
    });
    ConfigurableApplicationContext context = Services.launch(app, props);
    running.add(context);
    return Services.url(context);
  }

  private Map<String, Object> client(String user, String password) {
    Map<String, Object> client = new HashMap<>();
    client.put("bootstrap.servers", bootstrap);
    client.put("security.protocol", "SASL_SSL");
    client.put("sasl.mechanism", "SCRAM-SHA-512");
    client.put("sasl.jaas.config", jaas(user, password));
    client.put("ssl.truststore.type", "PEM");
    client.put("ssl.truststore.location", data.resolve("broker.crt").toString());
    return client;
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  private Process kafka(List<String> args, Path log) throws IOException {
    List<String> commandLine = new ArrayList<>(List.of("java", "-Xmx384m",
        "-Dlog4j2.configurationFile=" + ROOT.resolve("local-stack/config/log4j2.properties"),
        "-cp", ROOT.resolve("local-stack/target/kafka-lib") + "/*"));
    commandLine.addAll(args);
    return new ProcessBuilder(commandLine).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The ACLs of Strimzi {@code KafkaUser} resources, as the User Operator would set them. */
  private static List<AclBinding> aclsOf(Path file) throws IOException {
    List<AclBinding> bindings = new ArrayList<>();
    try (MappingIterator<JsonNode> users = new YAMLMapper().readerFor(JsonNode.class)
        .readValues(Files.readString(file))) {
      for (JsonNode user : users.readAll()) {
        String principal = "User:" + user.at("/metadata/name").asString();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
          var resource = new ResourcePattern(ResourceType.fromString(snake(acl.at("/resource/type").asString())),
              acl.at("/resource/name").asString(),
              "prefix".equals(acl.at("/resource/patternType").asString()) ? PatternType.PREFIXED : PatternType.LITERAL);
          for (JsonNode operation : acl.get("operations")) {
            bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*",
                AclOperation.fromString(snake(operation.asString())), AclPermissionType.ALLOW)));
          }
        }
      }
    }
    assertThat(bindings).noneMatch(binding -> binding.entry().operation() == AclOperation.UNKNOWN
        || binding.pattern().resourceType() == ResourceType.UNKNOWN);
    return bindings;
  }

  /** {@code DescribeConfigs} → {@code DESCRIBE_CONFIGS}, {@code transactionalId} → {@code TRANSACTIONAL_ID}. */
  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
