package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.user.InvalidUsernameException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The problem+json base of both HTTP services: Spring MVC's own errors (malformed JSON, wrong
 * method or media type, unknown path, oversized body) get a stable {@code type} too, an invalid
 * username is a {@code 400}, and anything unexpected is a {@code 500} problem that names no
 * internals (the stack trace goes to the log, never into the response).
 */
public abstract class ProblemJsonAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemJsonAdvice.class);

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    if (body == null && ex instanceof ErrorResponse error) {
      body = error.getBody();
    }
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
      problem.setType(ProblemType.forStatus(statusCode.value()).type());
    }
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }

  /**
   * A body that cannot be read says why: not JSON ({@code malformed-request}, with where), a
   * field of the wrong type ({@code malformed-request}, naming it), a field the endpoint does not
   * have ({@code unknown-field}). (A body too large never gets here: {@link WholeBodies}.)
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnrecognizedPropertyException unknown) {
        return problem(ProblemType.UNKNOWN_FIELD, "unknown field '" + unknown.getPropertyName()
            + "'; the fields are " + unknown.getKnownPropertyIds());
      }
      if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
        return problem(ProblemType.MALFORMED_REQUEST, "field '"
            + mismatched.getPath().get(mismatched.getPath().size() - 1).getPropertyName() + "' has the wrong type");
      }
      if (cause instanceof StreamReadException unreadable) {
        return problem(ProblemType.MALFORMED_REQUEST, "the body is not valid JSON"
            + (unreadable.getLocation() == null ? "" : " (line " + unreadable.getLocation().getLineNr() + ", column "
            + unreadable.getLocation().getColumnNr() + ")"));
      }
    }
    return problem(ProblemType.MALFORMED_REQUEST, "the body is missing or is not a JSON object");
  }

  private static ResponseEntity<Object> problem(ProblemType type, String detail) {
    return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(type.problem(detail));
  }

  @ExceptionHandler(InvalidUsernameException.class)
  ProblemDetail invalidUsername(InvalidUsernameException e) {
    return ProblemType.INVALID_USERNAME.problem(e.getMessage());
  }

  /** Left to Spring Security, which answers it as a counted {@code 403} problem ({@link ApiSecurity}). */
  @ExceptionHandler(AccessDeniedException.class)
  void denied(AccessDeniedException e) {
    throw e;
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unexpected error", e);
    return ProblemType.INTERNAL_ERROR.problem(
        "the request could not be handled; it has been logged");
  }
}
