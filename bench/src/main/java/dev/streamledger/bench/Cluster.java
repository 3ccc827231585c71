package dev.streamledger.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The processes of a stack started by {@code bin/local-stack --brokers N} and what a fault
 * injector does to them. The stack says where everything is in its data directory: each
 * process's pid in {@code pids/<name>}, the brokers in {@code cluster} ({@code <name>
 * <host:port> <link>} a line). It starts again any process that exits unless
 * {@code hold/<name>} exists, so a fault holds a process down by creating that file, and lets
 * it come back by deleting it. A broker is cut off from everyone by taking its link down.
 */
final class Cluster implements AutoCloseable {

  /** A broker: its process name ({@code kafka-2}), node id, address, and the host's end of its link. */
  record Broker(String name, int nodeId, String address, String link) {}

  private final Path data;
  private final List<Broker> brokers = new ArrayList<>();
  private final List<String> readinessUrls;
  private final Admin admin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Cluster(Path data, List<String> readinessUrls) throws IOException {
    this.data = data;
    this.readinessUrls = readinessUrls;
    for (String line : Files.readAllLines(data.resolve("cluster"))) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 3) {
        brokers.add(new Broker(fields[0], Integer.parseInt(fields[0].substring(fields[0].lastIndexOf('-') + 1)),
            fields[1], fields[2]));
      }
    }
    if (brokers.size() < 3) {
      throw new IllegalStateException(data.resolve("cluster") + " lists " + brokers.size()
          + " brokers; faults need the three-broker stack (bin/local-stack --brokers 3)");
    }
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", brokers.stream().map(Broker::address).toList()));
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    this.admin = Admin.create(admin);
  }

  List<Broker> brokers() {
    return brokers;
  }

  Broker broker(int nodeId) {
    return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst().orElseThrow();
  }

  /** The pid the stack wrote for {@code name} when it last started it. */
  long pid(String name) {
    try {
      return Long.parseLong(Files.readString(data.resolve("pids").resolve(name)).trim());
    } catch (IOException | NumberFormatException e) {
      return -1; // being written as the stack starts the process again: none yet
    }
  }

  /** Keeps {@code name} down once it exits, until {@link #release}. */
  void hold(String name) throws IOException {
    Files.writeString(data.resolve("hold").resolve(name), "held by the fault injector\n");
  }

  /** Lets the stack start {@code name} again (within a second of its exit). */
  void release(String name) throws IOException {
    Files.deleteIfExists(data.resolve("hold").resolve(name));
  }

  /** SIGKILL, held down: the process gets no chance to finish anything. */
  long kill(String name) throws IOException {
    hold(name);
    long pid = pid(name);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return pid;
  }

  /** SIGTERM, held down, and waits until it has exited: a clean stop. */
  void stop(String name, Duration within) throws IOException {
    hold(name);
    long pid = pid(name);
    ProcessHandle.of(pid).ifPresent(process -> {
      process.destroy();
      try {
        process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    });
  }

  /** SIGSTOP ({@code pause}) or SIGCONT: the process keeps its sockets but stops answering. */
  void signal(String name, String signal) throws IOException, InterruptedException {
    run("bash", "-c", "kill -s " + signal + " " + pid(name)); // bash's own kill: no procps needed
  }

  /** Takes the broker's link down (cut off from the other brokers and every client) or up again. */
  void link(Broker broker, boolean up) throws IOException, InterruptedException {
    run("ip", "link", "set", broker.link(), up ? "up" : "down");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  /** The node id of the active controller (the KRaft quorum's leader). */
  int activeController() throws Exception {
    return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
  }

  /** The broker leading the most partitions of {@code topics}: the one whose loss moves the most. */
  Broker busiestLeader(List<String> topics) throws Exception {
    Map<Integer, Integer> led = new HashMap<>();
    for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
      for (TopicPartitionInfo partition : topic.partitions()) {
        if (partition.leader() != null) {
          led.merge(partition.leader().id(), 1, Integer::sum);
        }
      }
    }
    return broker(led.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey());
  }

  /**
   * Every broker running, listening and registered, every partition of every topic (internal ones included) with all its
   * replicas in sync, and every service ready: the cluster is whole again after a fault.
   */
  boolean whole() {
    for (Broker broker : brokers) {
      if (Files.exists(data.resolve("hold").resolve(broker.name()))
          || ProcessHandle.of(pid(broker.name())).map(p -> !p.isAlive()).orElse(true)) {
        return false;
      }
    }
    for (Broker broker : brokers) {
      if (!listening(broker.address())) {
        return false;
      }
    }
    try {
      if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() < brokers.size()) {
        return false;
      }
      var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(5, TimeUnit.SECONDS);
      for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          if (partition.leader() == null || partition.isr().size() < partition.replicas().size()) {
            return false;
          }
        }
      }
    } catch (Exception e) {
      return false; // not answering yet
    }
    return readinessUrls.stream().allMatch(this::ready);
  }

  /** A broker that has started again opens its port once it has caught up with the cluster's metadata. */
  private static boolean listening(String address) {
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean ready(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the cluster is {@link #whole} three times in a row, half a second apart (a broker
   * just resumed or healed may first answer from what it knew before the fault); how long it took.
   */
  Duration awaitWhole(String what, Duration within) throws InterruptedException {
    long start = System.nanoTime();
    int inARow = 0;
    while (inARow < 3) {
      if (System.nanoTime() - start > within.toNanos()) {
        throw new IllegalStateException(what + ": not after " + within.toSeconds() + " s: " + describe());
      }
      inARow = whole() ? inARow + 1 : 0;
      Thread.sleep(500); // polling processes and the cluster's metadata: there is nothing to be told by
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Waits until {@code condition} holds, up to {@code within}; how long it took. */
  static Duration await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not after " + within.toSeconds() + " s");
      }
      Thread.sleep(250); // polling processes and the cluster's metadata: there is nothing to be told by
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** What is held and which process runs under which pid, for a report of a failure. */
  Map<String, String> describe() {
    Map<String, String> state = new LinkedHashMap<>();
    for (Broker broker : brokers) {
      state.put(broker.name(), "pid " + pid(broker.name())
          + (Files.exists(data.resolve("hold").resolve(broker.name())) ? " (held)" : ""));
    }
    return state;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
