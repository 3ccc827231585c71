package dev.streamledger.query.feed;

import dev.streamledger.query.view.ReadViewTopology;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Wakes the change feeds of an account when the views fold in one of its events. Only accounts
 * someone listens to are tracked, so folding costs one map lookup otherwise.
 */
@Component
public class AccountChanges implements ReadViewTopology.FoldListener {

  private final ConcurrentHashMap<String, Signal> listened = new ConcurrentHashMap<>();

  /** The highest version folded since the first listener came, and how many listen. */
  private static final class Signal {
    private long folded;
    private int listeners;
    private int wakes;
  }

  @Override
  public void folded(String accountId, long version) {
    Signal signal = listened.get(accountId);
    if (signal != null) {
      synchronized (signal) {
        signal.folded = Math.max(signal.folded, version);
        signal.notifyAll();
      }
    }
  }

  /** Starts tracking {@code accountId}; each call is ended by one {@link #stopListening}. */
  void listen(String accountId) {
    listened.compute(accountId, (id, signal) -> {
      Signal counted = signal == null ? new Signal() : signal;
      synchronized (counted) {
        counted.listeners++;
      }
      return counted;
    });
  }

  void stopListening(String accountId) {
    listened.computeIfPresent(accountId, (id, signal) -> {
      synchronized (signal) {
        return --signal.listeners == 0 ? null : signal;
      }
    });
  }

  /**
   * Waits until a version above {@code version} of a listened account is folded, or the timeout
   * passes. A fold between the caller's last read and this call is not missed: it raised the
   * recorded version already. Returns whether such a version was folded (false also when the
   * account is not listened to, or {@link #wakeAll} woke the caller).
   */
  boolean awaitAfter(String accountId, long version, long timeout, TimeUnit unit) throws InterruptedException {
    Signal signal = listened.get(accountId);
    if (signal == null) {
      return false;
    }
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (signal) {
      long left;
      int wakes = signal.wakes;
      while (signal.folded <= version && signal.wakes == wakes && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
      return signal.folded > version;
    }
  }

  /** Wakes every waiting feed (when the service stops). */
  void wakeAll() {
    listened.values().forEach(signal -> {
      synchronized (signal) {
        signal.wakes++;
        signal.notifyAll();
      }
    });
  }
}
