package dev.streamledger.contract.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

class BearerHeaderTest {

  private final BearerHeader ours = new BearerHeader();
  private final DefaultBearerTokenResolver springs = new DefaultBearerTokenResolver();

  @Test
  void shouldResolveEveryHeaderAsSpringSecuritysDefaultResolverDoes() {
    String[] headers = {null, "", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln-_~+/", "bearer abc", "BEARER abc",
        "Bearer abc==", "Bearer abc=d", "Bearer =", "Bearer ", "Bearer", "Bearerabc", "Bearer  abc", "Bearer abc ",
        "Bearer a b", "Bearer a\tb", "Bearer ab\u00e9", "Basic dXNlcjpwYXNz", "Bear abc", "Digest x", "bearer: abc",
        "Bearer a%2Fb", "Bearer ,abc", "Bearer a*b", "Bearer abc==="};
    for (String header : headers) {
      MockHttpServletRequest request = new MockHttpServletRequest("GET", "/accounts/a");
      if (header != null) {
        request.addHeader("Authorization", header);
      }
      assertThat(outcome(() -> ours.resolve(request))).as("Authorization: %s", header)
          .isEqualTo(outcome(() -> springs.resolve(request)));
    }
  }

  @Test
  void shouldTakeNoTokenFromParametersAsSpringsDefaultTakesNone() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/accounts/a");
    request.setParameter("access_token", "abc");
    assertThat(ours.resolve(request)).isNull();
    assertThat(springs.resolve(request)).isNull();
  }

  private static String outcome(java.util.function.Supplier<String> resolve) {
    try {
      return "token " + Objects.toString(resolve.get());
    } catch (OAuth2AuthenticationException e) {
      return "refused: " + e.getError().getErrorCode() + " " + e.getError().getDescription();
    }
  }
}
