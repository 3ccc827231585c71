package dev.streamledger.contract.web;

import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a problem+json answer straight to the response, for filters that answer before Spring
 * MVC (and its {@link ProblemJsonAdvice}) is reached: size limits, rate limits, authentication.
 */
public final class ProblemResponses {

  private ProblemResponses() {}

  public static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type,
      String detail) throws IOException {
    write(request, response, type.status(), type, detail);
  }

  /**
   * A problem of {@code type} with a status of its own (one the server chose); without
   * {@code request}, it names no {@code instance}.
   */
  public static void write(HttpServletRequest request, HttpServletResponse response, int status, ProblemType type,
      String detail) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", type.type().toString());
    problem.put("title", ProblemType.title(type.code()));
    problem.put("status", status);
    problem.put("detail", detail);
    if (request != null) {
      problem.put("instance", request.getRequestURI());
    }
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(problem));
  }
}
