package dev.streamledger.system.support;

import java.util.UUID;

/** Names no other test (or earlier run on the same broker) has used. */
public final class Names {

  private Names() {}

  /** {@code prefix} and 8 random hex digits: a username, a topic suffix. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
