package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemTypes;
import dev.streamledger.contract.user.InvalidUsernameException;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The problem+json base of both HTTP services: Spring MVC's own errors (malformed JSON, wrong
 * method or media type, unknown path, oversized body) get a stable {@code type} too, an invalid
 * username is a {@code 400}, and anything unexpected is a {@code 500} problem that names no
 * internals (the stack trace goes to the log, never into the response).
 */
public abstract class ProblemJsonAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemJsonAdvice.class);

  private static final Map<Integer, String> FRAMEWORK_TYPES = Map.of(
      400, "malformed-request",
      404, ProblemTypes.NOT_FOUND,
      405, "method-not-allowed",
      406, "not-acceptable",
      413, "content-too-large",
      415, "unsupported-media-type",
      503, ProblemTypes.NOT_READY);

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    if (body == null && ex instanceof ErrorResponse error) {
      body = error.getBody();
    }
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
      problem.setType(ProblemTypes.of(FRAMEWORK_TYPES.getOrDefault(statusCode.value(), "invalid-request")));
    }
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }

  @ExceptionHandler(InvalidUsernameException.class)
  ProblemDetail invalidUsername(InvalidUsernameException e) {
    return ProblemTypes.problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_USERNAME, e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unexpected error", e);
    return ProblemTypes.problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL,
        "the request could not be handled; it has been logged");
  }
}
