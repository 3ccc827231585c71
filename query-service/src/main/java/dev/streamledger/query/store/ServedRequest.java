package dev.streamledger.query.store;

import dev.streamledger.contract.web.ApiSecurity;
import dev.streamledger.query.system.QueryProblems;
import io.micrometer.core.instrument.Metrics;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The HTTP request this thread serves, as a read of a view sees it: whether a standby copy may
 * answer it (a request {@link Forwarding} sent because the owner did not answer), and the headers
 * its answer carries about the view that answered. A read outside a request (a change feed's
 * thread) asks nothing and says nothing. A key the caller may not read is answered as a missing one.
 */
public final class ServedRequest {

  /** On an answer from a standby copy: how many changelog records it was behind when read. */
  static final String STANDBY_LAG = "Streamledger-Standby-Lag";
  /**
   * On an answer from an active view: {@code <topic>:<partition>:<offset>}, the source partition
   * of the key and the offset up to which, at least, the view had folded it in when read.
   */
  static final String POSITION = "Streamledger-Position";
  /** On a forwarded request: a standby copy may answer it. */
  static final String READ_STANDBY = "Streamledger-Read-Standby";

  private ServedRequest() {}

  static boolean standbyMayAnswer() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && "true".equals(request.getRequest().getHeader(READ_STANDBY));
  }

  /**
   * Whether the caller may read a key bound to {@code subjects} ({@link ApiSecurity#mayRead}); a
   * refusal is counted as a denial, and then answered with {@link #notFound}, as a missing key is.
   */
  public static boolean mayRead(String... subjects) {
    if (ApiSecurity.mayRead(subjects)) {
      return true;
    }
    ApiSecurity.countDenied(Metrics.globalRegistry, "http");
    return false;
  }

  /**
   * {@code 404} for a key that does not exist and for one the caller may not read, the same: no
   * {@link #POSITION} (the read set it), so nothing tells the two apart.
   */
  public static ResponseEntity<Object> notFound(String detail) {
    withoutPosition();
    return QueryProblems.notFound(detail);
  }

  /** {@link #notFound}, with {@code Retry-After}: the key may still appear (a command in the log). */
  public static ResponseEntity<Object> notYetFound(String detail) {
    withoutPosition();
    return QueryProblems.notYetFound(detail);
  }

  /** Takes the {@link #POSITION} a read set off the answer: one that does not show the key shows nothing of it. */
  public static void withoutPosition() {
    answerSays(POSITION, null);
  }

  /** Sets {@code header} on the answer to the request being served, if this thread serves one (null: removes it). */
  static void answerSays(String header, String value) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && request.getResponse() != null) {
      request.getResponse().setHeader(header, value);
    }
  }
}
