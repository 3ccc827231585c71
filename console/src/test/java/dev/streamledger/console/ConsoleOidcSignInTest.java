package dev.streamledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.streamledger.testidp.TestIdentityProvider;
import dev.streamledger.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Sign-in with a real OpenID Connect provider (Spring Authorization Server, in this JVM, on
 * {@code localhost}; the console on {@code 127.0.0.1}, so each keeps its own cookies): the
 * authorization code flow with PKCE — which the provider requires of this client, so a console
 * that sent no code challenge could not sign in — its session then carries the provider's access
 * token to the services, and the browser never sees a token.
 */
class ConsoleOidcSignInTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BlockingQueue<String> AUTHORIZATIONS = new LinkedBlockingQueue<>();
  private static HttpServer upstream;
  private static ConfigurableApplicationContext provider;
  private static ConfigurableApplicationContext console;
  private static String idp;
  private static String consoleUrl;

  @BeforeAll
  static void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"username\":\"alice\",\"accountIds\":[]}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    upstream.start();
    int idpPort = LoopbackPorts.free();
    int consolePort = LoopbackPorts.free();
    idp = "http://localhost:" + idpPort;
    consoleUrl = "http://127.0.0.1:" + consolePort;
    String client = "--spring.security.oauth2.authorizationserver.client.console.";
    provider = new SpringApplicationBuilder(TestIdentityProvider.class).properties("spring.config.name=test-idp").run(
        "--server.port=" + idpPort, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
        "--spring.security.oauth2.authorizationserver.issuer=" + idp,
        client + "registration.client-id=streamledger-console",
        client + "registration.client-secret={noop}console-secret",
        client + "registration.client-authentication-methods=client_secret_basic",
        client + "registration.authorization-grant-types=authorization_code,refresh_token",
        client + "registration.redirect-uris=" + consoleUrl + "/login/oauth2/code/streamledger",
        client + "registration.scopes=openid,profile",
        client + "require-proof-key=true",
        client + "require-authorization-consent=false",
        "--spring.security.user.name=ops-alice", "--spring.security.user.password=correct horse");
    console = ConsoleApplication.builder().run("--server.port=" + consolePort, "--spring.main.banner-mode=off",
        "--streamledger.console.query-url=http://127.0.0.1:" + upstream.getAddress().getPort(),
        "--spring.security.oauth2.client.registration.streamledger.client-id=streamledger-console",
        "--spring.security.oauth2.client.registration.streamledger.client-secret=console-secret",
        "--spring.security.oauth2.client.registration.streamledger.scope=openid,profile",
        "--spring.security.oauth2.client.provider.streamledger.issuer-uri=" + idp);
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
    if (provider != null) {
      provider.close();
    }
    upstream.stop(0);
  }

  @Test
  void shouldSignInWithTheProviderUsingPkceAndPassItsAccessTokenOn() throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    JsonNode session = JSON.readTree(get(browser, consoleUrl + "/auth/session").body());
    assertThat(session.get("devSignIn").asBoolean()).isFalse();
    assertThat(session.get("providerSignIn").asString()).isEqualTo("/oauth2/authorization/streamledger");

    // the console sends the browser to the provider, with a code challenge
    HttpResponse<String> toProvider = get(browser, consoleUrl + "/oauth2/authorization/streamledger");
    String authorize = location(toProvider);
    assertThat(authorize).startsWith(idp + "/oauth2/authorize").contains("code_challenge=")
        .contains("code_challenge_method=S256").contains("nonce=");

    // the provider asks for the password
    String loginPage = location(get(browser, authorize));
    String form = get(browser, loginPage).body();
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
    assertThat(csrf.find()).as(form).isTrue();
    HttpResponse<String> signedIn = post(browser, idp + "/login", "username=ops-alice&password="
        + URLEncoder.encode("correct horse", StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1));
    String back = location(signedIn);

    // ... and sends the browser back to the console with a code, which the console redeems
    String callback = back.startsWith(consoleUrl) ? back : location(get(browser, back));
    assertThat(callback).startsWith(consoleUrl + "/login/oauth2/code/streamledger?code=");
    HttpResponse<String> landed = get(browser, callback);
    assertThat(landed.statusCode()).as(landed.body()).isEqualTo(302);
    assertThat(location(landed)).isEqualTo(consoleUrl + "/");
    assertThat(landed.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.contains("eyJ"));

    JsonNode caller = JSON.readTree(get(browser, consoleUrl + "/auth/session").body()).get("caller");
    assertThat(caller.get("subject").asString()).isEqualTo("ops-alice");
    assertThat(caller.get("operator").asBoolean()).isTrue();

    HttpResponse<String> read = get(browser, consoleUrl + "/api/query/users/alice");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).doesNotContain("eyJ");
    String authorization = AUTHORIZATIONS.poll(5, TimeUnit.SECONDS);
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(authorization.substring("Bearer ".length()).split("\\.")[1]));
    assertThat(claims.get("iss").asString()).isEqualTo(idp);
    assertThat(claims.get("sub").asString()).isEqualTo("ops-alice");
  }

  private static String location(HttpResponse<?> response) {
    assertThat(response.statusCode()).as("a redirect from %s: %s", response.uri(), response.body()).isBetween(301, 303);
    String location = response.headers().firstValue("Location").orElseThrow();
    return location.startsWith("/") ? response.uri().resolve(location).toString() : location;
  }

  private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
    // as a browser navigates: the provider sends HTML requests without a session to its login page
    return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient browser, String url, String form) throws Exception {
    return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
