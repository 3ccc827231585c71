package dev.streamledger.query.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.QuerySettings;
import dev.streamledger.query.view.ReadViewTopology;
import dev.streamledger.query.view.StatementEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A feed's memory does not grow with its client's lag: it reads one batch, and no more until it is written. */
class ChangeFeedsTest {

  private final ViewStores stores = mock(ViewStores.class);
  private final ChangeFeeds feeds = new ChangeFeeds(stores, mock(Forwarding.class), new AccountChanges(),
      new QuerySettings("q", null, null, 1, null, URI.create("http://127.0.0.1:1"), null, 0, null,
          new QuerySettings.Feeds(Duration.ofSeconds(30), 1, null), null, null), new SimpleMeterRegistry());

  @Test
  void shouldReadNoFurtherAheadThanOneBatchWhileTheClientDoesNotRead() throws Exception {
    // an account with a long history: every read finds a full batch after the cursor
    when(stores.range(eq(ReadViewTopology.STATEMENTS_STORE), any(), eq("acc"), anyString(), anyString(), anyInt()))
        .thenAnswer(read -> batchAfter(read.getArgument(3)));
    StalledClient client = new StalledClient(2_000);
    feeds.start();
    assertThat(feeds.reserve()).isTrue();
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try {
        feeds.stream("acc", 0, client);
      } catch (IOException e) {
        // the client went away
      }
    });
    assertThat(client.stalled.await(10, TimeUnit.SECONDS)).isTrue();
    verify(stores, atMost(1)).range(anyString(), any(), anyString(), anyString(), anyString(), anyInt());
    assertThat(feeds.reserve()).as("the one place is taken").isFalse();

    client.leave();
    feed.get(10, TimeUnit.SECONDS);
    assertThat(feeds.reserve()).as("given back when the client left").isTrue();
    assertThat(client.written()).startsWith("retry: 1000\n\nid: 1\nevent: FundsDeposited\n");
  }

  @Test
  void shouldWriteOnlyTheVersionAfterTheLastOneWritten() throws Exception {
    // the view answers 2, 3, 5 after version 1: 4 is missing (a view catching up), so 5 waits
    StatementEntry two = entry(2);
    when(stores.range(eq(ReadViewTopology.STATEMENTS_STORE), any(), eq("acc"), anyString(), anyString(), anyInt()))
        .thenReturn(List.of(two, entry(3), entry(5)));
    StalledClient client = new StalledClient(Integer.MAX_VALUE);
    feeds.start();
    feeds.reserve();
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try {
        feeds.stream("acc", 1, client);
      } catch (IOException e) {
        // not expected
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.written().contains("id: 3\n"));
    feeds.stop();
    feed.get(10, TimeUnit.SECONDS);
    assertThat(client.written()).doesNotContain("id: 5\n");
    assertThat(client.written().split("id: 2\n", -1)).as("version 2 written once").hasSize(2);
  }

  private static List<StatementEntry> batchAfter(String fromKey) {
    long first = Long.parseLong(fromKey.substring(fromKey.indexOf('/') + 1));
    return LongStream.range(first, first + ChangeFeeds.BATCH).mapToObj(ChangeFeedsTest::entry).toList();
  }

  private static StatementEntry entry(long version) {
    return new StatementEntry(version, "FundsDeposited", "1.00", "1.00", null, "r" + version, Instant.EPOCH,
        Instant.EPOCH);
  }

  /** A client that stops reading after {@code limit} bytes: its writes block until it leaves. */
  private static final class StalledClient extends OutputStream {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final int limit;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch gone = new CountDownLatch(1);

    StalledClient(int limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      synchronized (this) {
        if (received.size() + length <= limit) {
          received.write(bytes, offset, length);
          return;
        }
      }
      stalled.countDown();
      try {
        gone.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("the client left");
    }

    void leave() {
      gone.countDown();
    }

    synchronized String written() {
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
