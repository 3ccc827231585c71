package dev.streamledger.query.system;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.web.ProblemJsonAdvice;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every error is {@code application/problem+json}; see {@link ProblemJsonAdvice}. */
@RestControllerAdvice
public class QueryProblems extends ProblemJsonAdvice {

  /** {@code 404}: the view has no such key. */
  public static ResponseEntity<Object> notFound(String detail) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemType.NOT_FOUND.problem(detail));
  }

  /**
   * {@code 404} with {@code Retry-After}: the key may appear once a command still in the log is
   * decided (a request's outcome, a transfer's first stage).
   */
  public static ResponseEntity<Object> notYetFound(String detail) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).header(HttpHeaders.RETRY_AFTER, "1")
        .body(ProblemType.NOT_FOUND.problem(detail));
  }
}
