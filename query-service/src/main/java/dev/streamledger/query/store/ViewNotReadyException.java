package dev.streamledger.query.store;

import dev.streamledger.contract.problem.ProblemType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/**
 * A view cannot answer right now — Streams is starting, rebalancing or restoring, or the key's
 * partition is moving between instances — so rather than answer from a store that may be missing
 * or partial (and perhaps say {@code 404} for a key that exists), the answer is {@code 503}
 * {@code not-ready} with {@code Retry-After}: ask again shortly.
 */
public final class ViewNotReadyException extends ErrorResponseException {

  public ViewNotReadyException(String detail) {
    super(HttpStatusCode.valueOf(ProblemType.NOT_READY.status()), ProblemType.NOT_READY.problem(detail), null);
    getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
  }

  @Override
  public String getMessage() {
    return getBody().getDetail();
  }
}
