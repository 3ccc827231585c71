package dev.streamledger.command.system;

import dev.streamledger.contract.account.InvalidAmountException;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.web.ApiSecurity;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Checks of request fields shared by several endpoints; each failure is a {@code 400} problem. */
public final class Inputs {

  /** The client's clock: when it created the request, and when it sent it (RFC 3339). */
  public static final String CLIENT_CREATED_AT = "Client-Created-At";
  public static final String CLIENT_SENT_AT = "Client-Sent-At";

  private Inputs() {}

  /**
   * The three timestamps of the request being served: received now, and the client's
   * {@value #CLIENT_CREATED_AT} and {@value #CLIENT_SENT_AT} if it sent them. A header that is not
   * an RFC 3339 date-time with an offset, or times out of {@link RequestTimes}' bounds, are a
   * {@code 400} {@code invalid-client-time}.
   */
  /** The credential the command of the request being served carries: the request's own bearer token. */
  public static Credential credential() {
    return new Credential(ApiSecurity.credential());
  }

  public static RequestTimes requestTimes() {
    Instant receivedAt = Instant.now();
    if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
      return RequestTimes.receivedAt(receivedAt);
    }
    HttpServletRequest request = attributes.getRequest();
    try {
      return new RequestTimes(receivedAt, clientTime(request, CLIENT_CREATED_AT), clientTime(request, CLIENT_SENT_AT));
    } catch (RequestTimes.InvalidClientTimeException e) {
      throw new InvalidRequestException(ProblemType.INVALID_CLIENT_TIME, e.getMessage());
    }
  }

  private static Instant clientTime(HttpServletRequest request, String header) {
    String value = request.getHeader(header);
    if (value == null) {
      return null;
    }
    try {
      // RFC 3339 date-time: a full date, a time, and Z or an offset (either letter case)
      return OffsetDateTime.parse(value.strip().toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(ProblemType.INVALID_CLIENT_TIME,
          header + " is an RFC 3339 date-time with an offset, like 2026-11-26T09:30:00.250Z");
    }
  }

  public static String accountId(String raw) {
    if (raw == null || raw.length() != 36 || !raw.equals(parsesAsUuid(raw))) {
      throw new InvalidRequestException(ProblemType.INVALID_ACCOUNT_ID, "an account id is a lower-case UUID");
    }
    return raw;
  }

  private static String parsesAsUuid(String raw) {
    try {
      return UUID.fromString(raw).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static String currency(String raw) {
    try {
      return Money.currency(raw).getCurrencyCode();
    } catch (InvalidAmountException e) {
      throw new InvalidRequestException(ProblemType.INVALID_CURRENCY, e.getMessage());
    }
  }

  public static String amount(String raw) {
    try {
      return Money.requireDecimal(raw);
    } catch (InvalidAmountException e) {
      throw new InvalidRequestException(ProblemType.INVALID_AMOUNT, e.getMessage());
    }
  }
}
