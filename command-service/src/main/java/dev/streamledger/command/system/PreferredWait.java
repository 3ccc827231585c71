package dev.streamledger.command.system;

import java.time.Duration;
import java.util.Enumeration;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * RFC 7240 {@code Prefer: wait=N}: how long a client asks the command service to wait for the
 * outcome of its command before answering {@code 202}, and {@code Preference-Applied} on the
 * answer that honoured it.
 */
public final class PreferredWait {

  /** The longest wait for an outcome a client may ask for. */
  public static final Duration MAX = Duration.ofSeconds(60);
  static final String PREFER = "Prefer";
  static final String PREFERENCE_APPLIED = "Preference-Applied";

  private PreferredWait() {}

  /**
   * How long the request being served asked to wait: {@code Prefer: wait=N} (seconds), at most
   * {@link #MAX}; empty when it did not ask (or asked in a form that is not
   * {@code wait=<seconds>}, which RFC 7240 says to ignore).
   */
  static Optional<Duration> ofRequest() {
    if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)) {
      return Optional.empty();
    }
    Enumeration<String> headers = request.getRequest().getHeaders(PREFER);
    while (headers != null && headers.hasMoreElements()) {
      for (String preference : headers.nextElement().split(",")) {
        String[] token = preference.split(";", 2)[0].split("=", 2);
        if (token.length == 2 && token[0].trim().equalsIgnoreCase("wait")) {
          String seconds = token[1].trim().replace("\"", "");
          if (seconds.matches("[0-9]{1,9}")) {
            Duration wait = Duration.ofSeconds(Long.parseLong(seconds));
            return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code answer}, saying that it waited {@code wait} as asked. */
  static ResponseEntity<Object> applied(ResponseEntity<Object> answer, Duration wait) {
    return Answers.withHeader(answer, PREFERENCE_APPLIED, "wait=" + wait.toSeconds());
  }
}
