package dev.streamledger.query.deadletter;

import dev.streamledger.contract.problem.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /dead-letters?limit=50}: the newest dead letters, for operators. */
@RestController
class DeadLetterController {

  static final int MAX_LIMIT = 500;

  private final DeadLetterReader reader;

  DeadLetterController(DeadLetterReader reader) {
    this.reader = reader;
  }

  @Operation(summary = "The newest dead letters: why each was parked and where it came from (operators)")
  @GetMapping("/dead-letters")
  ResponseEntity<DeadLetterReader.Page> newest(@RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ErrorResponseException(HttpStatusCode.valueOf(ProblemType.INVALID_REQUEST.status()),
          ProblemType.INVALID_REQUEST.problem("limit is 1 to " + MAX_LIMIT), null);
    }
    return ResponseEntity.ok(reader.newest(limit));
  }
}
