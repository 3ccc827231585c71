package dev.streamledger.contract.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.trace.TraceParent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class RequestTracingTest {

  private final RequestTracing tracing = new RequestTracing();
  private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/transfers");
  private final MockHttpServletResponse response = new MockHttpServletResponse();
  private final List<String> seen = new ArrayList<>();

  @Test
  void shouldMakeTheRequestAChildSpanOfTheCallersTraceAndLogWithIt() throws Exception {
    TraceParent caller = TraceParent.root();
    request.addHeader(TraceParent.HEADER, caller.header());

    tracing.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {}, (req, res, chain) -> {
      RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
      Optional<TraceParent> current = RequestTracing.current();
      seen.add(current.orElseThrow().header());
      seen.add(MDC.get(TraceParent.TRACE_ID));
      seen.add(MDC.get(TraceParent.SPAN_ID));
      MDC.put(TraceParent.REQUEST_ID, "r-1");
      RequestContextHolder.resetRequestAttributes();
    }));

    TraceParent served = TraceParent.parse(response.getHeader(RequestTracing.RESPONSE_HEADER)).orElseThrow();
    assertThat(served.traceId()).isEqualTo(caller.traceId());
    assertThat(served.spanId()).isNotEqualTo(caller.spanId());
    assertThat(seen).containsExactly(served.header(), served.traceId(), served.spanId());
    assertThat(MDC.get(TraceParent.TRACE_ID)).as("nothing left on the thread").isNull();
    assertThat(MDC.get(TraceParent.REQUEST_ID)).isNull();
  }

  @Test
  void shouldStartATraceWhenTheCallerSentNoneOrAnInvalidOne() throws Exception {
    request.addHeader(TraceParent.HEADER, "00-garbage");
    tracing.doFilter(request, response, new MockFilterChain());
    assertThat(TraceParent.parse(response.getHeader(RequestTracing.RESPONSE_HEADER))).isPresent();
  }

  @Test
  void shouldHaveNoSpanOutsideARequest() {
    assertThat(RequestTracing.current()).isEmpty();
  }
}
