package dev.streamledger.command.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.streamledger.command.outcome.CommandGateway;
import dev.streamledger.command.system.Answers;
import dev.streamledger.command.system.CommandSettings;
import dev.streamledger.command.system.DirectAnswers;
import dev.streamledger.command.system.PreferredWait;
import dev.streamledger.command.system.Security;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.testsupport.DevTokens;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest(UserController.class)
@Import({Answers.class, DirectAnswers.class, Security.class, UserControllerTest.Signed.class})
@EnableConfigurationProperties(CommandSettings.class)
@TestPropertySource(properties = {"spring.mvc.problemdetails.enabled=true",
    "streamledger.command.query-base-url=http://query.test"})
class UserControllerTest {

  @Autowired MockMvc mvc;
  @MockitoBean CommandGateway gateway;

  /** Every request carries a valid bearer token of the test JVM's key pair, as the service requires. */
  @TestConfiguration
  static class Signed {
    /** Run with the response as the request leaves Spring MVC, the filters around it still to unwind. */
    static final AtomicReference<Consumer<ServletResponse>> leavingSpringMvc = new AtomicReference<>();

    @Bean
    MockMvcBuilderCustomizer bearerToken() {
      return builder -> builder.defaultRequest(get("/").header("Authorization",
          "Bearer " + DevTokens.forTests().token("alice", false)));
    }

    @Bean
    FilterRegistrationBean<Filter> innermostFilter() {
      var registration = new FilterRegistrationBean<Filter>((request, response, chain) -> {
        chain.doFilter(request, response);
        Consumer<ServletResponse> then = leavingSpringMvc.getAndSet(null);
        if (then != null) {
          then.accept(response);
        }
      });
      registration.setOrder(Ordered.LOWEST_PRECEDENCE);
      return registration;
    }
  }

  @DynamicPropertySource
  static void trustTheTestKey(DynamicPropertyRegistry registry) {
    registry.add("streamledger.security.public-key", () -> DevTokens.forTests().publicKeyLocation());
  }

  @Test
  void shouldPublishAClaimKeyedByTheCanonicalNameAndAnswer201() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenAnswer(call -> CompletableFuture.completedFuture(Optional.of(Outcome.accepted(call.<UserCommand>getArgument(0).requestId(),
            Accepted.USER_REGISTERED, "alice", "registered", new OutcomeData.User("alice", "Alice", Instant.now(), 1L),
            Instant.now()))));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"ＡＬＩＣＥ\"}"))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", "http://query.test/users/alice"))
        .andExpect(jsonPath("$.username").value("alice"));

    ArgumentCaptor<UserCommand> command = ArgumentCaptor.forClass(UserCommand.class);
    verify(gateway).submit(command.capture(), any(), any());
    assertThat(command.getValue().username()).isEqualTo("alice");
    assertClaim(command.getValue());
  }

  private static void assertClaim(UserCommand command) {
    var claim = (UserCommand.ClaimUsername) command;
    assertThat(claim.requestedAs()).isEqualTo("ＡＬＩＣＥ");
    assertThat(claim.displayName()).isEqualTo("ＡＬＩＣＥ");
  }

  @Test
  void shouldAnswer409WithTheRejectionAsAProblem() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenAnswer(call -> CompletableFuture.completedFuture(Optional.of(Outcome.rejected(call.<UserCommand>getArgument(0).requestId(),
            Rejection.USERNAME_TAKEN, "alice", "the username 'alice' is already registered", Instant.now()))));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"alice\"}"))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("/problems/username-taken"))
        .andExpect(jsonPath("$.requestId").isNotEmpty());
  }

  @Test
  void shouldAnswer202WithAStatusUrlWhenNoOutcomeArrivesInTime() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenReturn(CompletableFuture.completedFuture(Optional.empty()));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"alice\"}"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("http://query.test/requests/")));
  }

  @Test
  void shouldWaitAsLongAsTheClientPrefersAtMostAMinute() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenReturn(CompletableFuture.completedFuture(Optional.empty()));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"alice\"}")
        .header("Prefer", "respond-async, wait=0"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Preference-Applied", "wait=0"))
        .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("http://query.test/requests/")));
    verify(gateway).submit(any(UserCommand.class), any(), argThat(java.time.Duration.ZERO::equals));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"bob\"}")
        .header("Prefer", "wait=3600"))
        .andExpect(header().string("Preference-Applied", "wait=60"));
    verify(gateway).submit(any(UserCommand.class), any(), argThat(PreferredWait.MAX::equals));

    // not wait=<seconds>: ignored (RFC 7240), the configured wait applies
    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"carol\"}")
        .header("Prefer", "wait=soon"))
        .andExpect(header().doesNotExist("Preference-Applied"));
    verify(gateway).submit(any(UserCommand.class), any(), argThat(java.time.Duration.ofSeconds(5)::equals));
  }

  @Test
  void shouldAnswer503WhenTheCommandCannotBeWritten() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenReturn(CompletableFuture.failedFuture(newNotWritten()));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"alice\"}"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().exists("Retry-After"))
        .andExpect(jsonPath("$.type").value("/problems/kafka-unavailable"));
  }

  @Test
  void shouldAnswer204And404ForDeletes() throws Exception {
    when(gateway.submit(argThat((UserCommand c) -> c != null && c.username().equals("bob")), any(), any()))
        .thenAnswer(call -> CompletableFuture.completedFuture(Optional.of(Outcome.accepted(call.<UserCommand>getArgument(0).requestId(),
            Accepted.USER_DELETED, "bob", "deleted", new OutcomeData.UserDeleted("bob", 1), Instant.now()))));
    when(gateway.submit(argThat((UserCommand c) -> c != null && c.username().equals("carol")), any(), any()))
        .thenAnswer(call -> CompletableFuture.completedFuture(Optional.of(Outcome.rejected(call.<UserCommand>getArgument(0).requestId(),
            Rejection.USER_NOT_FOUND, "carol", "no user", Instant.now()))));

    perform(delete("/users/BOB")).andExpect(status().isNoContent());
    perform(delete("/users/carol")).andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("/problems/user-not-found"));
  }

  @Test
  void shouldRefuseBadInputWithProblemsAndPublishNothing() throws Exception {
    mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"a b\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("/problems/invalid-username"));
    mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"displayName\":\"x\"}"))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("/problems/invalid-username"));
    mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
            .content("{\"username\":\"dave\",\"displayName\":\"" + "x".repeat(65) + "\"}"))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("/problems/invalid-display-name"));
    mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":"))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("/problems/malformed-request"));
    mvc.perform(post("/users").contentType(MediaType.TEXT_PLAIN).content("dave"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
    mvc.perform(put("/users").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(jsonPath("$.type").value("/problems/method-not-allowed"));
    mvc.perform(delete("/users/" + "x".repeat(200))).andExpect(status().isBadRequest());
    for (String key : new String[] {"", "\"\"", "x".repeat(256), "caf\u00e9", "a\\b"}) {
      mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key)
              .content("{\"username\":\"dave\"}"))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.type").value("/problems/invalid-idempotency-key"));
    }
    verifyNoInteractions(gateway);
  }

  @Test
  void shouldNameARequestAfterItsIdempotencyKeyAndWhatItAsks() throws Exception {
    when(gateway.submit(any(UserCommand.class), any(), any()))
        .thenReturn(CompletableFuture.completedFuture(Optional.empty()));

    perform(post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "\"k-1\"")
        .content("{\"username\":\"dave\"}")).andExpect(status().isAccepted());
    perform(post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1")
        .content("{ \"username\" : \"dave\" }")).andExpect(status().isAccepted());
    perform(post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1")
        .content("{\"username\":\"erin\"}")).andExpect(status().isAccepted());
    perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"dave\"}"))
        .andExpect(status().isAccepted());

    ArgumentCaptor<UserCommand> sent = ArgumentCaptor.forClass(UserCommand.class);
    verify(gateway, org.mockito.Mockito.times(4)).submit(sent.capture(), any(), any());
    var ids = sent.getAllValues().stream().map(UserCommand::requestId).toList();
    String keyId = dev.streamledger.contract.request.RequestIds.keyIdOf(ids.get(0)).orElseThrow();
    assertThat(ids.get(1)).isEqualTo(ids.get(0));
    assertThat(ids.get(2)).isNotEqualTo(ids.get(0)).startsWith(keyId + ".");
    assertThat(ids.get(3)).doesNotContain(".");
  }

  /** An answer already known when the controller returns is written at once ({@link DirectAnswers}). */
  private ResultActions perform(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
    return mvc.perform(request).andExpect(request().asyncNotStarted());
  }

  @Test
  void shouldWriteALaterAnswerWhenItArrivesWithoutDispatchingTheRequestAgain() throws Exception {
    var outcome = outcomeLater();
    MvcResult started = waitingRegistration("alice", MediaType.APPLICATION_JSON);
    assertThat(started.getResponse().getContentAsString()).isEmpty();
    ArgumentCaptor<UserCommand> command = ArgumentCaptor.forClass(UserCommand.class);
    verify(gateway).submit(command.capture(), any(), any());
    outcome.complete(registered(command.getValue().requestId()));

    // written by the outcome's arrival alone: no asyncDispatch(started) here
    var response = started.getResponse();
    assertThat(started.getRequest().isAsyncStarted()).as("exchange completed").isFalse();
    assertThat(response.getStatus()).isEqualTo(201);
    assertThat(response.getContentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
    assertThat(response.getHeader("Location")).isEqualTo("http://query.test/users/alice");
    assertThat(response.getHeader("Consistency-Token")).isNotBlank();
    assertThat(response.getContentAsString()).contains("\"username\":\"alice\"");
  }

  @Test
  void shouldWriteAnAnswerThatArrivesWhileTheFiltersUnwindOnlyOnceTheyHave() throws Exception {
    var outcome = outcomeLater();
    var committedWhileUnwinding = new AtomicReference<Boolean>();
    Signed.leavingSpringMvc.set(response -> {
      outcome.complete(registered("r-1"));
      committedWhileUnwinding.set(response.isCommitted());
    });

    MvcResult result = mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
        .content("{\"username\":\"alice\"}")).andReturn();

    assertThat(committedWhileUnwinding.get()).as("written while unwinding").isFalse();
    assertThat(result.getRequest().isAsyncStarted()).isFalse();
    assertThat(result.getResponse().getStatus()).isEqualTo(201);
    // Spring Security's headers, written as its filter unwound, are on the answer
    assertThat(result.getResponse().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void shouldAnswerALaterRefusalAsTheSameProblemAsASynchronousOne() throws Exception {
    var outcome = outcomeLater();
    MvcResult started = waitingRegistration("alice", MediaType.APPLICATION_JSON);
    outcome.complete(Optional.of(Outcome.rejected("r-1", Rejection.USERNAME_TAKEN, "alice",
        "the username 'alice' is already registered", Instant.now())));

    var response = started.getResponse();
    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(response.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    assertThat(response.getContentAsString())
        .contains("\"type\":\"/problems/username-taken\"", "\"instance\":\"/users\"");
  }

  @Test
  void shouldAnswerThroughTheExceptionHandlersWhenALaterAnswerCannotBeWrittenOrNeverComes() throws Exception {
    // an answer the client does not accept: 406, as Spring MVC answers it synchronously
    var outcome = outcomeLater();
    MvcResult started = waitingRegistration("alice", MediaType.APPLICATION_XML);
    outcome.complete(registered("r-1"));
    assertThat(started.getResponse().getStatus()).isEqualTo(406);
    assertThat(started.getResponse().getContentAsString()).contains("\"type\":\"/problems/not-acceptable\"");
    assertThat(started.getRequest().isAsyncStarted()).isFalse();

    // no answer by the safety net's timeout: 503, as Spring MVC answers an asynchronous request that timed out
    outcomeLater();
    MvcResult waiting = waitingRegistration("bob", MediaType.APPLICATION_JSON);
    var exchange = (MockAsyncContext) waiting.getRequest().getAsyncContext();
    assertThat(exchange.getTimeout()).isGreaterThan(PreferredWait.MAX.toMillis());
    for (var listener : exchange.getListeners()) {
      listener.onTimeout(new AsyncEvent(exchange));
    }
    assertThat(waiting.getResponse().getStatus()).isEqualTo(503);
    assertThat(waiting.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    assertThat(waiting.getRequest().isAsyncStarted()).isFalse();
  }

  /** The outcome of the next command, for the test to complete once its request waits for it. */
  private CompletableFuture<Optional<Outcome>> outcomeLater() {
    var outcome = new CompletableFuture<Optional<Outcome>>();
    when(gateway.submit(any(UserCommand.class), any(), any())).thenReturn(outcome);
    return outcome;
  }

  /** {@code POST /users} whose outcome has not arrived: the exchange is left open. */
  private MvcResult waitingRegistration(String username, MediaType accept) throws Exception {
    return mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).accept(accept)
        .content("{\"username\":\"" + username + "\"}")).andExpect(request().asyncStarted()).andReturn();
  }

  private static Optional<Outcome> registered(String requestId) {
    return Optional.of(Outcome.accepted(requestId, Accepted.USER_REGISTERED, "alice", "registered",
        new OutcomeData.User("alice", "Alice", Instant.now(), 1L), Instant.now()));
  }

  private static RuntimeException newNotWritten() throws Exception {
    var constructor = CommandGateway.CommandNotWrittenException.class.getDeclaredConstructor(Throwable.class);
    constructor.setAccessible(true);
    return constructor.newInstance(new RuntimeException("broker down"));
  }
}
