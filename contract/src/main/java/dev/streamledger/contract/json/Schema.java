package dev.streamledger.contract.json;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire schema of one topic's values: the version every writer writes, in a
 * {@value #VERSION_FIELD} field first in each value, and how a value of each older version is
 * turned into the next one on read (upcasting). A value without the field was written before
 * versions existed and is version 1. A value of a version newer than {@code current} cannot be
 * read by this code and is refused, never guessed at.
 *
 * @param current the version this code writes
 * @param upcasters for each version {@code v < current}, what turns a {@code v} value into a
 *     {@code v + 1} one (in place)
 */
public record Schema(int current, Map<Integer, Upcaster> upcasters) {

  public static final String VERSION_FIELD = "schemaVersion";

  /** Turns one value of version {@code v} into version {@code v + 1}, in place. */
  @FunctionalInterface
  public interface Upcaster {
    void upcast(ObjectNode value);
  }

  public Schema {
    if (current < 1) {
      throw new IllegalArgumentException("schema versions start at 1");
    }
    upcasters = Map.copyOf(upcasters);
    for (int version = 1; version < current; version++) {
      if (!upcasters.containsKey(version)) {
        throw new IllegalArgumentException("no upcaster from version " + version + " to " + (version + 1));
      }
    }
  }

  /** A schema that has never changed. */
  public static Schema first() {
    return new Schema(1, Map.of());
  }

  /** Brings {@code value}, written in {@code version}, up to {@link #current()}. */
  void upcast(ObjectNode value, int version) {
    for (int v = version; v < current; v++) {
      upcasters.get(v).upcast(value);
    }
    value.put(VERSION_FIELD, current);
  }
}
