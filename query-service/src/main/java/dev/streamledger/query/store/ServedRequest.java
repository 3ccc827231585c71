package dev.streamledger.query.store;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The HTTP request this thread serves, as a read of a view sees it: whether a standby copy may
 * answer it (a request {@link Forwarding} sent because the owner did not answer), and the headers
 * its answer carries about the view that answered. A read outside a request (a change feed's
 * thread) asks nothing and says nothing.
 */
final class ServedRequest {

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

  /** Sets {@code header} on the answer to the request being served, if this thread serves one. */
  static void answerSays(String header, String value) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && request.getResponse() != null) {
      request.getResponse().setHeader(header, value);
    }
  }
}
