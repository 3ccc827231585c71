package dev.streamledger.system.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests: reads the stream on a thread of its own and queues each
 * event, and each comment line (a heartbeat) as an event named {@code :comment}.
 */
public final class EventStream implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One event: {@code id}, {@code event} name and {@code data} as sent. */
  public record Event(String id, String event, String data) {}

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private EventStream(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code url} with {@code headers}; returns once the answer's headers arrived. */
  public static EventStream open(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + Http.testerToken());
    headers.forEach(request::header);
    try {
      return new EventStream(CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens {@code url} again while it answers {@code 503} (the views rebalancing, which may happen
   * at any time), for up to {@code within}; the first other answer.
   */
  public static EventStream openWhenReady(String url, Map<String, String> headers, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      EventStream stream = open(url, headers);
      if (stream.status() != 503 || System.nanoTime() > deadline) {
        return stream;
      }
      stream.close();
      String retryAfter = stream.header("Retry-After");
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(retryAfter == null ? 1
          : Math.min(5, Long.parseLong(retryAfter))).toNanos()); // as the answer asks
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event or comment, waiting up to {@code within}; null if none came. */
  public Event next(Duration within) {
    try {
      return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code count} events that are not comments, each within {@code within}. */
  public List<Event> nextEvents(int count, Duration within) {
    List<Event> received = new ArrayList<>();
    while (received.size() < count) {
      Event event = next(within);
      if (event == null) {
        throw new AssertionError("only " + received.size() + " of " + count + " events came: " + received);
      }
      if (!event.event().equals(":comment")) {
        received.add(event);
      }
    }
    return received;
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (id != null || data.length() > 0) {
            events.add(new Event(id, name, data.toString()));
          }
          id = null;
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          events.add(new Event(null, ":comment", line.substring(1).trim()));
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException e) {
      // the stream was closed
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
