package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemType;
import java.io.IOException;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * problem+json for what Tomcat refuses before Spring sees it — a request line or path it cannot
 * parse ({@code %00}, an invalid escape), headers over {@code server.max-http-request-header-size}
 * — which it would otherwise answer with an HTML page: the host's error report valve is replaced
 * by {@link ProblemReportValve}. Everything Spring MVC answers is {@link ProblemJsonAdvice}'s.
 */
@Configuration(proxyBeanMethods = false)
public class ServerErrors {

  @Bean
  TomcatContextCustomizer problemReportValve() {
    return context -> {
      Container host = context.getParent();
      if (host instanceof StandardHost standard) {
        standard.setErrorReportValveClass(ProblemReportValve.class.getName());
      }
    };
  }

  /**
   * Reports an error Tomcat answers itself as a problem of the type its status maps to
   * ({@link ProblemType#forStatus(int)}), naming nothing of the request: what Tomcat says about
   * it goes to the log at debug level.
   */
  public static class ProblemReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      log.debug("{} answered by the server: {}", status, response.getMessage(), throwable);
      ProblemType type = ProblemType.forStatus(status);
      try {
        response.setCharacterEncoding("UTF-8");
        // no instance: a path the server could not parse is not repeated back
        ProblemResponses.write(null, response, status, type, status < 500
            ? "the server could not accept the request as sent (" + type.code() + ")"
            : "the request could not be handled; it has been logged");
        response.finishResponse();
      } catch (IOException | IllegalStateException e) {
        log.debug("could not report {}", status, e);
      }
    }
  }
}
