package dev.streamledger.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the log holds, topic by topic (Streams' changelogs too): committed records, their bytes
 * (key, value and headers, as a consumer reads them), and the offsets that are not readable
 * records (transaction markers and aborted records). With {@code --per N}, each also divided by
 * N — the transfers a fresh stack has made, say — to show what one transfer writes where.
 *
 * <pre>
 *   java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.streamledger.bench.TopicCensus \
 *       --bootstrap 127.0.0.1:9092 --per 10000
 * </pre>
 */
public final class TopicCensus {

  private record Count(long records, long bytes, long offsets) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
    double per = Double.parseDouble(options.getOrDefault("per", "1"));
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<String> topics;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      topics = admin.listTopics().names().get().stream()
          .filter(name -> name.startsWith("streamledger")).sorted().toList();
    }
    Map<String, Count> counts = new TreeMap<>();
    try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long records = 0;
        long bytes = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            records++;
            bytes += (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
            for (Header header : record.headers()) {
              bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
          }
        }
        long offsets = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
        counts.put(topic, new Count(records, bytes, offsets));
      }
    }
    System.out.printf("%-62s %12s %12s %14s%n", "topic", "records", "bytes", "markers etc.");
    long records = 0;
    long bytes = 0;
    long other = 0;
    for (var entry : counts.entrySet()) {
      Count count = entry.getValue();
      System.out.printf("%-62s %12.2f %12.0f %14.2f%n", entry.getKey(), count.records() / per, count.bytes() / per,
          (count.offsets() - count.records()) / per);
      records += count.records();
      bytes += count.bytes();
      other += count.offsets() - count.records();
    }
    System.out.printf("%-62s %12.2f %12.0f %14.2f%n", "all", records / per, bytes / per, other / per);
  }
}
