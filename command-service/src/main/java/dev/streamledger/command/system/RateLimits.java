package dev.streamledger.command.system;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client rate limits on commands: each client has a token bucket of {@code burst} tokens,
 * refilled at {@code perSecond}; a command takes one, and a client with none left is answered
 * {@code 429} {@code too-many-requests} with {@code Retry-After} (whole seconds until a token is
 * back) — before the body is parsed or anything sent to Kafka (the body has been read: {@code WholeBodies}). Reads of the API documents and health are not
 * commands and are not limited.
 *
 * <p>The client is the connection's remote address, not the token's subject: the limit applies
 * before the bearer token is verified, so a flood of made-up tokens is limited too and costs no
 * signature checks. ({@code X-Forwarded-For} is not trusted: any client can write it. Behind a
 * proxy, every client shares the proxy's bucket.)
 */
public final class RateLimits extends OncePerRequestFilter {

  /** How long an idle client's full bucket is kept before it is forgotten. */
  private static final long IDLE_NANOS = 60_000_000_000L;

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Counter limited;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long nextSweep;

  /** The tokens of one client, as of {@code at}. */
  private record Bucket(double tokens, long at) {}

  public RateLimits(double perSecond, int burst, LongSupplier nanoTime, MeterRegistry meters) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.limited = Counter.builder("streamledger.command.rate-limited")
        .description("commands refused with 429 because their client was over its rate limit").register(meters);
    this.nextSweep = nanoTime.getAsLong() + IDLE_NANOS;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String method = request.getMethod();
    return !("POST".equals(method) || "DELETE".equals(method) || "PUT".equals(method) || "PATCH".equals(method));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long waitNanos = take(request.getRemoteAddr());
    if (waitNanos == 0) {
      chain.doFilter(request, response);
      return;
    }
    limited.increment();
    long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    response.setHeader("Retry-After", Long.toString(retryAfter));
    ProblemResponses.write(request, response, ProblemType.TOO_MANY_REQUESTS, "this client sends more than "
        + perSecond + " commands a second (bursts of " + (int) burst + "); retry after " + retryAfter + " s");
  }

  /**
   * Takes a token for {@code client}: {@code 0} if there was one, else how many nanoseconds until
   * there is.
   */
  long take(String client) {
    long now = nanoTime.getAsLong();
    sweep(now);
    long[] wait = {0};
    buckets.compute(client, (key, bucket) -> {
      double tokens = bucket == null ? burst : Math.min(burst, bucket.tokens() + (now - bucket.at()) * perSecond / 1e9);
      if (tokens >= 1) {
        return new Bucket(tokens - 1, now);
      }
      wait[0] = (long) Math.ceil((1 - tokens) / perSecond * 1e9);
      return new Bucket(tokens, now);
    });
    return wait[0];
  }

  int clients() {
    return buckets.size();
  }

  /** Forgets clients idle long enough that their bucket is full again (at most once a minute). */
  private void sweep(long now) {
    if (now < nextSweep) {
      return;
    }
    nextSweep = now + IDLE_NANOS;
    buckets.entrySet().removeIf(entry -> now - entry.getValue().at() > IDLE_NANOS
        && entry.getValue().tokens() + (now - entry.getValue().at()) * perSecond / 1e9 >= burst);
  }
}
