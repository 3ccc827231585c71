package dev.streamledger.system.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** Races: requests that leave together, each on its own thread, released by one latch. */
public final class Concurrently {

  private Concurrently() {}

  /** Sends {@code count} requests at once and returns their answers in the order of {@code i}. */
  public static List<Http.Response> send(int count, IntFunction<Http.Response> request) {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Http.Response>> sent = IntStream.range(0, count)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            awaitQuietly(go);
            return request.apply(i);
          }, pool))
          .toList();
      go.countDown();
      return sent.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
