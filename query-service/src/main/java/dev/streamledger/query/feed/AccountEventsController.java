package dev.streamledger.query.feed;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.OwnedElsewhereException;
import dev.streamledger.query.store.ServedRequest;
import dev.streamledger.query.store.ViewNotReadyException;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.Streamed;
import dev.streamledger.query.view.AccountView;
import dev.streamledger.query.view.ReadViewTopology;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /accounts/{id}/events}: the account's events as Server-Sent Events, from the first
 * (or after {@code Last-Event-ID}, or the {@code after} parameter) and then live. Any instance
 * serves any account's feed (see {@link ChangeFeeds}).
 */
@RestController
class AccountEventsController {

  private final ChangeFeeds feeds;
  private final ViewStores stores;
  private final Forwarding forwarding;

  AccountEventsController(ChangeFeeds feeds, ViewStores stores, Forwarding forwarding) {
    this.feeds = feeds;
    this.stores = stores;
    this.forwarding = forwarding;
  }

  @Operation(summary = "Follow an account's events (Server-Sent Events, resumable)")
  @GetMapping("/accounts/{accountId}/events")
  ResponseEntity<StreamingResponseBody> events(@PathVariable String accountId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(required = false) String after, HttpServletResponse response) {
    long from = afterVersion(lastEventId != null ? lastEventId : after);
    if (!exists(accountId)) {
      ServedRequest.withoutPosition();
      throw problem(ProblemType.NOT_FOUND, "no account '" + accountId + "'");
    }
    if (!feeds.reserve()) {
      ErrorResponseException busy = problem(ProblemType.NOT_READY,
          "this instance has as many change feeds open as it serves; try again later or another instance");
      busy.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
      throw busy;
    }
    return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).cacheControl(CacheControl.noStore())
        .header("X-Accel-Buffering", "no") // proxies that buffer would hold the events back
        .body(Streamed.body(response, out -> feeds.stream(accountId, from, out)));
  }

  private static long afterVersion(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long version = Long.parseLong(value.trim());
      if (version >= 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw problem(ProblemType.INVALID_REQUEST,
        "Last-Event-ID (or after) is an account version: a whole number, 0 or more");
  }

  /**
   * Whether the account exists and the caller may read it, asking the instance that holds it if
   * that is not this one (which answers {@code 404} for both, as this one does).
   */
  private boolean exists(String accountId) {
    if (accountId.length() > 64) {
      return false;
    }
    try {
      AccountView view = stores.get(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS, accountId);
      return view != null && ServedRequest.mayRead(view.reader());
    } catch (OwnedElsewhereException owned) {
      int status;
      try {
        status = forwarding.get(owned.active(), "/accounts/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8),
            "application/json", null, false).statusCode();
      } catch (IOException e) {
        throw new ViewNotReadyException("the instance holding account '" + accountId + "' does not answer");
      }
      if (status != 200 && status != 404) {
        throw new ViewNotReadyException("the instance holding account '" + accountId + "' answered " + status);
      }
      return status == 200;
    }
  }

  private static ErrorResponseException problem(ProblemType type, String detail) {
    return new ErrorResponseException(HttpStatusCode.valueOf(type.status()), type.problem(detail), null);
  }
}
