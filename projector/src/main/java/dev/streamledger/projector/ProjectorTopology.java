package dev.streamledger.projector;

import dev.streamledger.projector.account.AccountTopology;
import dev.streamledger.projector.request.IdempotencyTopology;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.username.UsernameTopology;
import org.apache.kafka.streams.Topology;

/** The whole write model, run by one Kafka Streams instance. */
public final class ProjectorTopology {

  private ProjectorTopology() {}

  public static Topology build(Authenticity authenticity) {
    Topology topology = new Topology();
    IdempotencyTopology.addTo(topology, authenticity);
    UsernameTopology.addTo(topology, authenticity);
    return AccountTopology.addTo(topology, authenticity);
  }
}
