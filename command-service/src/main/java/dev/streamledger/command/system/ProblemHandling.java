package dev.streamledger.command.system;

import dev.streamledger.contract.web.ProblemJsonAdvice;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every error is {@code application/problem+json}; see {@link ProblemJsonAdvice}. */
@RestControllerAdvice
class ProblemHandling extends ProblemJsonAdvice {

  @ExceptionHandler(InvalidRequestException.class)
  ProblemDetail invalidRequest(InvalidRequestException e) {
    return e.type().problem(e.getMessage());
  }
}
