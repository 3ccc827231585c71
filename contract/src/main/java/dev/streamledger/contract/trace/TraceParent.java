package dev.streamledger.contract.trace;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent}: which trace a piece of work belongs to and which span
 * (the caller's) it descends from. It comes in on an HTTP request, goes on with the command as a
 * Kafka header of the same name, and the projector copies it onto the command's events and
 * outcome, so one trace id joins the HTTP call, the command, its stages and its answer.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a>
 */
public record TraceParent(String traceId, String spanId, String flags) {

  /** The HTTP and Kafka header name. */
  public static final String HEADER = "traceparent";
  /** The key under which the trace id appears in log lines (the MDC). */
  public static final String TRACE_ID = "traceId";
  /** The key under which this process's span id appears in log lines. */
  public static final String SPAN_ID = "spanId";
  /** The key under which the request id of the command being handled appears in log lines. */
  public static final String REQUEST_ID = "requestId";

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  /**
   * The trace context in {@code header}, or empty when it is absent or not a valid one (which
   * the specification says to treat as absent: a new trace starts).
   */
  public static Optional<TraceParent> parse(String header) {
    if (header == null || header.length() < 55 || header.length() > 512) {
      return Optional.empty();
    }
    String head = header.substring(0, 55);
    if (!FORMAT.matcher(head).matches() || head.startsWith("ff")
        || header.length() > 55 && (head.startsWith("00") || header.charAt(55) != '-')) {
      return Optional.empty(); // version ff is invalid; version 00 has exactly four fields
    }
    String traceId = head.substring(3, 35);
    String spanId = head.substring(36, 52);
    if (traceId.equals(ZERO_TRACE) || spanId.equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(traceId, spanId, head.substring(53, 55)));
  }

  /** A new trace (nothing came in), sampled. */
  public static TraceParent root() {
    return new TraceParent(randomHex(16), randomHex(8), "01");
  }

  /** A span of this trace whose parent is this one: the next step of the same work. */
  public TraceParent child() {
    return new TraceParent(traceId, randomHex(8), flags);
  }

  /** The header value, version 00. */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  @Override
  public String toString() {
    return header();
  }

  /**
   * Random ids, as the specification asks; not secrets (they travel in headers and logs), so
   * the fast per-thread generator serves — two are made for every request.
   */
  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    String hex;
    do {
      ThreadLocalRandom.current().nextBytes(random);
      hex = HexFormat.of().formatHex(random);
    } while (hex.chars().allMatch(c -> c == '0'));
    return hex;
  }
}
