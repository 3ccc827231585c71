package dev.streamledger.query.digest;

import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.query.view.ReadViewTopology;
import dev.streamledger.testsupport.TestSeals;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ViewDigestsTest {

  @Test
  void shouldDigestEveryStoreOfTheReadViews() {
    Set<String> stores = new TreeSet<>();
    ReadViewTopology.build(TestSeals.of(SealedFor.QUERY_SERVICE)).describe().subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
      if (node instanceof TopologyDescription.Processor processor) {
        stores.addAll(processor.stores());
      }
    }));
    assertThat(ViewDigests.VIEWS.keySet()).containsExactlyInAnyOrderElementsOf(stores);
  }
}
