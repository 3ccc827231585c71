package dev.streamledger.command.system;

import dev.streamledger.contract.problem.ProblemTypes;
import dev.streamledger.contract.user.InvalidUsernameException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error is {@code application/problem+json}: Spring MVC's own (malformed JSON, wrong
 * method or media type, unknown path) through {@link ResponseEntityExceptionHandler}, ours here.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

  @ExceptionHandler(InvalidUsernameException.class)
  ProblemDetail invalidUsername(InvalidUsernameException e) {
    return Answers.problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_USERNAME, e.getMessage());
  }

  @ExceptionHandler(InvalidRequestException.class)
  ProblemDetail invalidRequest(InvalidRequestException e) {
    return Answers.problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }
}
