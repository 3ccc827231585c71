package dev.streamledger.contract.web;

import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemTypes;
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

  public static void write(HttpServletRequest request, HttpServletResponse response, int status, String code,
      String detail) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", ProblemTypes.PREFIX + code);
    String words = code.replace('-', ' ');
    problem.put("title", Character.toUpperCase(words.charAt(0)) + words.substring(1));
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(problem));
  }
}
