package dev.streamledger.query.store;

import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Another instance owns the key's partition: ask it (or, if it does not answer, a standby); see {@link Forwarding}. */
public final class OwnedElsewhereException extends RuntimeException {

  private final transient KeyQueryMetadata owner;

  OwnedElsewhereException(KeyQueryMetadata owner) {
    super("owned by " + owner.activeHost(), null, false, false);
    this.owner = owner;
  }

  public HostInfo active() {
    return owner.activeHost();
  }

  public Set<HostInfo> standbys() {
    return owner.standbyHosts();
  }
}
