package dev.streamledger.command.system;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Writes the answer a command endpoint returns as a {@code CompletableFuture<ResponseEntity>}
 * straight to the response when the outcome arrives, instead of dispatching the request back
 * through the container, the filters (Spring Security's among them) and the
 * {@code DispatcherServlet}, as Spring MVC does for every asynchronous result.
 *
 * <p>That second dispatch did nothing a command's answer needs — the request had been
 * authenticated, authorised and read the first time — yet it was 44 % of the command service's
 * CPU at the keyed maximum (docs/performance.md, change 10). Here the answer is written once, by
 * Spring MVC's own handlers of a {@code ResponseEntity} (the same message converters, content
 * negotiation and problem+json as a synchronous answer), on a container thread
 * ({@link AsyncContext#start}: never on the thread that completed the outcome, which a slow
 * client must not hold up) — or on the request's own thread when the answer came before its
 * dispatch was over — then the exchange is completed. An answer ready when the handler
 * returns (a refusal decided in the controller, a replay) is written at once, without going
 * asynchronous at all. A failure to write it goes to the same exception handlers
 * ({@code ProblemHandling}) as one in a synchronous answer.
 *
 * <p>Installed ahead of Spring MVC's own handler of {@link CompletionStage}s, which would take
 * the return value first.
 */
@Component
public class DirectAnswers implements AsyncHandlerMethodReturnValueHandler, SmartInitializingSingleton, Filter,
    Ordered {

  private static final Logger log = LoggerFactory.getLogger(DirectAnswers.class);

  /**
   * A safety net only: every answer is complete within its wait ({@link PreferredWait#MAX} at
   * most, a 202 after it); one that is not by then is answered as Spring MVC answers an
   * asynchronous request that timed out ({@code 503}).
   */
  static final Duration TIMEOUT = PreferredWait.MAX.plusSeconds(30);

  /** Set on a request by this filter: it will say when the request's own dispatch is over. */
  private static final String GATED = DirectAnswers.class.getName() + ".gated";
  /** The request's {@link Pending} answer, for this filter to release. */
  private static final String PENDING = DirectAnswers.class.getName() + ".pending";

  // looked up once the context is built: as a filter this bean is made before Spring MVC's
  private final ObjectProvider<RequestMappingHandlerAdapter> adapter;
  private final ObjectProvider<HandlerExceptionResolver> errorHandlers;
  private HandlerExceptionResolver errors;
  /** Spring MVC's own handlers, which write a {@link ResponseEntity} (for a synchronous answer too). */
  private final HandlerMethodReturnValueHandlerComposite entities = new HandlerMethodReturnValueHandlerComposite();

  public DirectAnswers(ObjectProvider<RequestMappingHandlerAdapter> adapter,
      @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> errors) {
    this.adapter = adapter;
    this.errorHandlers = errors;
  }

  /** Puts this handler first; the answers it writes go to the handlers that were there before. */
  @Override
  public void afterSingletonsInstantiated() {
    RequestMappingHandlerAdapter mvc = adapter.getObject();
    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(mvc.getReturnValueHandlers());
    entities.addHandlers(handlers);
    handlers.add(0, this);
    mvc.setReturnValueHandlers(handlers);
    errors = errorHandlers.getObject();
  }

  /**
   * The outermost filter: an answer is written only once the request's own dispatch is over, so
   * never while the filters it passed are still on their way out (Spring Security's header writer,
   * the observation that times the request) — an outcome can arrive in that moment.
   */
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    request.setAttribute(GATED, Boolean.TRUE);
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.getAttribute(PENDING) instanceof Pending pending) {
        pending.dispatchOver();
      }
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /**
   * Around the request's own dispatch, and around the one after its body was read without a
   * thread ({@code WholeBodies}), where the controller runs.
   */
  @Bean
  static FilterRegistrationBean<DirectAnswers> directAnswersFilter(DirectAnswers answers) {
    FilterRegistrationBean<DirectAnswers> registration = new FilterRegistrationBean<>(answers);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Override
  public boolean supportsReturnType(MethodParameter returnType) {
    return CompletionStage.class.isAssignableFrom(returnType.getParameterType())
        && ResponseEntity.class.isAssignableFrom(returnType.nested().getNestedParameterType());
  }

  @Override
  public boolean isAsyncReturnValue(Object returnValue, MethodParameter returnType) {
    return returnValue instanceof CompletionStage && supportsReturnType(returnType);
  }

  @Override
  public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest) throws Exception {
    MethodParameter answerType = new AnswerType(returnType);
    if (returnValue == null) {
      entities.handleReturnValue(null, answerType, mavContainer, webRequest);
      return;
    }
    CompletableFuture<?> answer = ((CompletionStage<?>) returnValue).toCompletableFuture();
    if (answer.isDone()) {
      entities.handleReturnValue(joined(answer), answerType, mavContainer, webRequest);
      return;
    }
    mavContainer.setRequestHandled(true);
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
    AsyncContext exchange = request.startAsync(request, response);
    exchange.setTimeout(TIMEOUT.toMillis());
    var pending = new Pending(exchange, answerType, request.getAttribute(GATED) != null);
    request.setAttribute(PENDING, pending);
    exchange.addListener(pending);
    answer.whenComplete(pending::arrived);
  }

  /**
   * The {@code ResponseEntity<…>} a {@code CompletableFuture<ResponseEntity<…>>} return type
   * holds, as the return type of the method that answers (Spring MVC's own asynchronous path
   * does the same for the result it dispatches).
   */
  private static final class AnswerType extends MethodParameter {

    private final Class<?> type;
    private final Type genericType;

    AnswerType(MethodParameter returnType) {
      super(returnType);
      MethodParameter nested = returnType.nested();
      this.type = nested.getNestedParameterType();
      this.genericType = nested.getNestedGenericParameterType();
    }

    private AnswerType(AnswerType original) {
      super(original);
      this.type = original.type;
      this.genericType = original.genericType;
    }

    @Override
    public Class<?> getParameterType() {
      return type;
    }

    @Override
    public Type getGenericParameterType() {
      return genericType;
    }

    @Override
    public AnswerType clone() {
      return new AnswerType(this);
    }
  }

  private static Object joined(CompletableFuture<?> answer) throws Exception {
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw unwrapped(e);
    }
  }

  /** What a future failed with, as an exception handlers know. */
  private static Exception unwrapped(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof Exception e ? e : new IllegalStateException(cause);
  }

  /**
   * One request waiting for its answer: written once both the answer has arrived and the
   * request's own dispatch is over (whichever comes second writes it), or by the safety net.
   */
  private final class Pending implements AsyncListener {

    private final AsyncContext exchange;
    private final MethodParameter answerType;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The answer's arrival, and the end of the dispatch when the filter will tell it. */
    private final AtomicInteger awaited;
    private volatile Object value;
    private volatile Throwable error;

    Pending(AsyncContext exchange, MethodParameter answerType, boolean gated) {
      this.exchange = exchange;
      this.answerType = answerType;
      this.awaited = new AtomicInteger(gated ? 2 : 1);
    }

    /** On the thread that completed the answer: the write goes to a container thread. */
    void arrived(Object value, Throwable error) {
      this.value = value;
      this.error = error;
      if (awaited.decrementAndGet() == 0) {
        try {
          exchange.start(() -> answer(this.value, this.error));
        } catch (IllegalStateException alreadyOver) {
          log.debug("the exchange was over before its answer: {}", alreadyOver.getMessage());
        }
      }
    }

    /** On the request's own container thread, its filters done: the answer, if there, is written here. */
    void dispatchOver() {
      if (awaited.decrementAndGet() == 0) {
        answer(value, error);
      }
    }

    private void answer(Object value, Throwable error) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      var web = new ServletWebRequest((HttpServletRequest) exchange.getRequest(),
          (HttpServletResponse) exchange.getResponse());
      try {
        if (error != null) {
          failed(web, unwrapped(error));
        } else {
          entities.handleReturnValue(value, answerType, new ModelAndViewContainer(), web);
        }
      } catch (Exception e) {
        failed(web, e);
      } finally {
        exchange.complete();
      }
    }

    /** As Spring MVC handles an exception in an answer: by the exception handlers, while nothing is sent. */
    private void failed(ServletWebRequest web, Exception e) {
      if (web.getResponse() == null || web.getResponse().isCommitted()) {
        log.debug("answer not written (the client may have gone): {}", e.toString());
        return;
      }
      try {
        errors.resolveException(web.getRequest(), web.getResponse(), null, e);
      } catch (RuntimeException unresolved) {
        log.error("answer not written", unresolved);
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      answer(null, new AsyncRequestTimeoutException());
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      // the connection failed; nothing can be written
      answered.set(true);
      exchange.complete();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
