package dev.streamledger.query.store;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.streamledger.query.system.QueryProblems;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A view that cannot answer yet (starting, rebalancing, restoring, moving) is a {@code 503}
 * {@code not-ready} problem with {@code Retry-After}, never a {@code 404} or a {@code 500}: what
 * clients retry on, and what read-your-writes waits through.
 */
class ViewNotReadyExceptionTest {

  @RestController
  static class Moving {
    @GetMapping("/accounts/a")
    String account() {
      throw new ViewNotReadyException("the read view is moving between instances");
    }
  }

  @Test
  void shouldBeA503NotReadyProblemWithRetryAfter() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new Moving()).setControllerAdvice(new QueryProblems()).build();
    mvc.perform(get("/accounts/a"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "1"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("/problems/not-ready"))
        .andExpect(jsonPath("$.detail").value("the read view is moving between instances"));
  }
}
