package dev.streamledger.contract.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

class HeaderFirewallTest {

  /** Every code point alone, lone surrogates, and mixes: the loop answers as Spring's expressions do. */
  @Test
  void shouldAllowExactlyWhatTheStrictFirewallsExpressionsAllow() {
    List<String> texts = new ArrayList<>(List.of("", "Bearer eyJhbGciOi.x-y_z", "a\tb", "\t", "ok\r\nSet-Cookie: x",
        "caf\u00e9", "\ud83d\ude00 smile", "\ud83d", "x\ude00y", "\u0085", "\u00a0", "\u200b", "a\u0000b"));
    for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
      texts.add(Character.toString(codePoint));
    }
    for (String text : texts) {
      assertThat(HeaderFirewall.NAMES.test(text)).as("name %s", escaped(text))
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
      assertThat(HeaderFirewall.HEADER_VALUES.test(text)).as("value %s", escaped(text))
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
      assertThat(HeaderFirewall.NAMES.test(text)).as("parameter name %s", escaped(text))
          .isEqualTo(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES.test(text));
    }
  }

  @Test
  void shouldStillRejectControlCharactersInHeadersAndEncodedSeparatorsInPaths() {
    StrictHttpFirewall firewall = HeaderFirewall.strict();
    MockHttpServletRequest header = new MockHttpServletRequest("GET", "/accounts/a");
    header.addHeader("X-Injected", "ok\r\nSet-Cookie: stolen=1");
    assertThatThrownBy(() -> firewall.getFirewalledRequest(header).getHeader("X-Injected"))
        .isInstanceOf(RequestRejectedException.class);

    MockHttpServletRequest path = new MockHttpServletRequest("GET", "/accounts/a%2F..%2Fb");
    path.setRequestURI("/accounts/a%2F..%2Fb");
    assertThatThrownBy(() -> firewall.getFirewalledRequest(path)).isInstanceOf(RequestRejectedException.class);

    MockHttpServletRequest fine = new MockHttpServletRequest("GET", "/accounts/a");
    fine.addHeader("Authorization", "Bearer eyJ.a\tb");
    assertThat(firewall.getFirewalledRequest(fine).getHeader("Authorization")).isEqualTo("Bearer eyJ.a\tb");
  }

  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(codePoint -> out.append(String.format("U+%04X ", codePoint)));
    return out.toString();
  }
}
