package dev.streamledger.command.system;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
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
 * client must not hold up), then the exchange is completed. An answer ready when the handler
 * returns (a refusal decided in the controller, a replay) is written at once, without going
 * asynchronous at all. A failure to write it goes to the same exception handlers
 * ({@code ProblemHandling}) as one in a synchronous answer.
 *
 * <p>Installed ahead of Spring MVC's own handler of {@link CompletionStage}s, which would take
 * the return value first.
 */
@Component
public class DirectAnswers implements AsyncHandlerMethodReturnValueHandler, SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(DirectAnswers.class);

  /**
   * A safety net only: every answer is complete within its wait ({@link PreferredWait#MAX} at
   * most, a 202 after it); one that is not by then is answered as Spring MVC answers an
   * asynchronous request that timed out ({@code 503}).
   */
  static final Duration TIMEOUT = PreferredWait.MAX.plusSeconds(30);

  private final RequestMappingHandlerAdapter adapter;
  private final HandlerExceptionResolver errors;
  /** Spring MVC's own handlers, which write a {@link ResponseEntity} (for a synchronous answer too). */
  private final HandlerMethodReturnValueHandlerComposite entities = new HandlerMethodReturnValueHandlerComposite();

  public DirectAnswers(RequestMappingHandlerAdapter adapter,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
    this.adapter = adapter;
    this.errors = errors;
  }

  /** Puts this handler first; the answers it writes go to the handlers that were there before. */
  @Override
  public void afterSingletonsInstantiated() {
    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
    entities.addHandlers(handlers);
    handlers.add(0, this);
    adapter.setReturnValueHandlers(handlers);
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
    var pending = new Pending(exchange, answerType);
    exchange.addListener(pending);
    answer.whenComplete((value, error) -> pending.answerOnContainerThread(value, error));
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
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** One request waiting for its answer: answered once, by the outcome or by the safety net. */
  private final class Pending implements AsyncListener {

    private final AsyncContext exchange;
    private final MethodParameter answerType;
    private final AtomicBoolean answered = new AtomicBoolean();

    Pending(AsyncContext exchange, MethodParameter answerType) {
      this.exchange = exchange;
      this.answerType = answerType;
    }

    void answerOnContainerThread(Object value, Throwable error) {
      try {
        exchange.start(() -> answer(value, error));
      } catch (IllegalStateException alreadyOver) {
        log.debug("the exchange was over before its answer: {}", alreadyOver.getMessage());
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
          throw error instanceof CompletionException && error.getCause() instanceof Exception cause ? cause
              : error instanceof Exception e ? e : new IllegalStateException(error);
        }
        entities.handleReturnValue(value, answerType, new ModelAndViewContainer(), web);
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
