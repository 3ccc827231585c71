package dev.streamledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The broker's own counters over a few seconds of load, read over JMX: requests per second by
 * type ({@code kafka.network:type=RequestMetrics,name=RequestsPerSec}) and records and bytes in
 * and out ({@code kafka.server:type=BrokerTopicMetrics}); with {@code --per R}, each divided by R
 * — the transfers per second the load runs at — to show what one transfer costs the broker in
 * requests. The broker must listen for JMX: start the stack with
 * {@code KAFKA_JAVA_OPTS="-Dcom.sun.management.jmxremote.port=9999 -Dcom.sun.management.jmxremote.rmi.port=9999
 * -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false
 * -Djava.rmi.server.hostname=127.0.0.1"} (loopback only, for measuring; never in a deployment).
 *
 * <pre>
 *   java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.streamledger.bench.BrokerCounters \
 *       --jmx 127.0.0.1:9999 --seconds 15 --per 500
 * </pre>
 */
public final class BrokerCounters {

  private static final List<String> TOPIC_METRICS = List.of("MessagesInPerSec", "BytesInPerSec", "BytesOutPerSec");

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String jmx = options.getOrDefault("jmx", "127.0.0.1:9999");
    long seconds = Long.parseLong(options.getOrDefault("seconds", "15"));
    double per = Double.parseDouble(options.getOrDefault("per", "0"));
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + jmx + "/jmxrmi");
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection broker = connector.getMBeanServerConnection();
      Map<String, Long> before = counts(broker);
      long started = System.nanoTime();
      Thread.sleep(seconds * 1000);
      Map<String, Long> after = counts(broker);
      double elapsed = (System.nanoTime() - started) / 1e9;
      List<Map.Entry<String, Double>> rates = new ArrayList<>();
      after.forEach((name, count) -> {
        double rate = (count - before.getOrDefault(name, count)) / elapsed;
        if (rate > 0) {
          rates.add(Map.entry(name, rate));
        }
      });
      rates.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      for (Map.Entry<String, Double> rate : rates) {
        System.out.printf("%12.1f/s%s  %s%n", rate.getValue(),
            per > 0 ? String.format("  %10.2f per transfer", rate.getValue() / per) : "", rate.getKey());
      }
    }
  }

  private static Map<String, Long> counts(MBeanServerConnection broker) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (ObjectName name : broker.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"),
        null)) {
      // FetchConsumer and FetchFollower are counted under Fetch as well
      counts.merge("requests " + name.getKeyProperty("request"), (Long) broker.getAttribute(name, "Count"), Long::sum);
    }
    for (String metric : TOPIC_METRICS) {
      try {
        counts.put(metric, (Long) broker.getAttribute(new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + metric),
            "Count"));
      } catch (InstanceNotFoundException e) {
        // not registered until the first record
      }
    }
    return counts;
  }
}
