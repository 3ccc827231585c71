package dev.streamledger.query.view;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.query.system.QueryProblems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The answers of a read whose {@code Consistency-Token} is not valid, or not yet satisfied
 * (before the catch-all of {@link QueryProblems}).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsistencyProblems {

  @ExceptionHandler(ConsistencyGate.InvalidTokenException.class)
  ResponseEntity<Object> invalidToken(ConsistencyGate.InvalidTokenException e) {
    return ResponseEntity.badRequest()
        .body(ProblemType.INVALID_CONSISTENCY_TOKEN.problem(e.getMessage()));
  }

  @ExceptionHandler(ConsistencyGate.NotYetConsistentException.class)
  ResponseEntity<Object> notYetConsistent(ConsistencyGate.NotYetConsistentException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(
        ProblemType.NOT_YET_CONSISTENT.problem(e.getMessage()));
  }
}
