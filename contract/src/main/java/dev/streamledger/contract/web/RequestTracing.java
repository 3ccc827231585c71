package dev.streamledger.contract.web;

import dev.streamledger.contract.trace.TraceParent;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First on every HTTP request: joins the caller's trace ({@code traceparent}) or starts one, and
 * makes this request a span of it. The trace and span ids are in every log line written while the
 * request is handled ({@value TraceParent#TRACE_ID}, {@value TraceParent#SPAN_ID} in the MDC), the
 * answer carries them back in {@code traceresponse}, and {@link #current()} hands the span to
 * whatever the request sends on (a command to Kafka, a read forwarded to another instance).
 */
public class RequestTracing extends OncePerRequestFilter implements Ordered {

  /** The W3C response header naming the trace and the span that served the request. */
  public static final String RESPONSE_HEADER = "traceresponse";

  private static final String ATTRIBUTE = RequestTracing.class.getName();

  /** This request's span, when called while handling one. */
  public static Optional<TraceParent> current() {
    RequestAttributes request = RequestContextHolder.getRequestAttributes();
    return request == null
        ? Optional.empty()
        : Optional.ofNullable((TraceParent) request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
  }

  /** An asynchronous dispatch of the request (after its body was read, say) is the same span. */
  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    TraceParent span;
    if (isAsyncDispatch(request) && request.getAttribute(ATTRIBUTE) instanceof TraceParent earlier) {
      span = earlier;
    } else {
      span = TraceParent.parse(request.getHeader(TraceParent.HEADER))
          .map(TraceParent::child)
          .orElseGet(TraceParent::root);
      request.setAttribute(ATTRIBUTE, span);
      response.setHeader(RESPONSE_HEADER, span.header());
    }
    MDC.put(TraceParent.TRACE_ID, span.traceId());
    MDC.put(TraceParent.SPAN_ID, span.spanId());
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(TraceParent.TRACE_ID);
      MDC.remove(TraceParent.SPAN_ID);
      MDC.remove(TraceParent.REQUEST_ID);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
