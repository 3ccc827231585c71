package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemType;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request's body is read whole before the request is handled, and without holding a request
 * thread while it arrives: at most {@code maxBytes} ({@code 413} {@code content-too-large}
 * beyond, at once for a larger {@code Content-Length}, at the limit for a chunked body), within
 * {@code timeout} of the request's headers ({@code 408} {@code request-timeout} after).
 *
 * <p>Most bodies arrive with their headers and are read at once, on the request's thread (only
 * what {@link ServletInputStream#available()} says can be read without blocking, and only of a
 * body with a {@code Content-Length}: of a chunked one, {@code available()} counts the chunks'
 * size lines too, and a read could wait in the middle of one). Any other is
 * read by the container as its bytes come (Servlet's non-blocking read, {@link ReadListener}), no
 * thread waiting in between; once whole, the request is dispatched again ({@link DispatcherType#ASYNC})
 * and goes on from this filter with its body in memory. So a client that sends its body a byte at
 * a time costs a connection and 16 KiB at most, never a thread: the command service can then run
 * on a few request threads, none of which ever waits (docs/performance.md, change 17).
 *
 * <p>Installed before every filter that may answer a request without reading its body (the rate
 * limit, Spring Security): an answer given with the body unread makes the container read and
 * drop the rest of it after the answer, blocking, on the request's thread — which a stalled body
 * would hold. So a request is refused, if it is, once its body is in. The filters before this one
 * see the dispatch that follows a body read without a thread as what it is
 * ({@link DispatcherType#ASYNC}, which Spring's {@link OncePerRequestFilter}s skip); to the
 * filters after it, and to Spring MVC, it is the request's first handling
 * ({@link DispatcherType#REQUEST}), which it is for them.
 *
 * <p>For JSON APIs: the container's own form parsing ({@code getParameter} of an
 * {@code application/x-www-form-urlencoded} body) reads the connection, which this has read.
 */
public final class WholeBodies extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(WholeBodies.class);

  /** The body read without a thread, for the dispatch that follows. */
  private static final String BODY = WholeBodies.class.getName() + ".body";

  private final int maxBytes;
  private final Duration timeout;

  public WholeBodies(int maxBytes, Duration timeout) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      Object body = request.getAttribute(BODY);
      if (body instanceof byte[] bytes) {
        request.removeAttribute(BODY);
        new Read(request, bytes).handle(chain, response);
      } else {
        chain.doFilter(request, response);   // another asynchronous dispatch, its body long read
      }
      return;
    }
    long length = request.getContentLengthLong();
    boolean chunked = length < 0 && request.getHeader("Transfer-Encoding") != null;
    if (length == 0 || length < 0 && !chunked) {
      chain.doFilter(request, response);
      return;
    }
    if (length > maxBytes) {
      refuse(request, response, ProblemType.CONTENT_TOO_LARGE, tooLarge());
      return;
    }
    Body body = new Body(length);
    ServletInputStream in = request.getInputStream();
    if (!chunked) {
      body.readWhatHasArrived(in);
      if (body.whole()) {
        new Read(request, body.bytes()).handle(chain, response);
        return;
      }
    }
    log.debug("the body of {} {} is read as it comes ({} bytes so far)", request.getMethod(), request.getRequestURI(),
        body.size);
    AsyncContext exchange = request.startAsync();
    exchange.setTimeout(timeout.toMillis());
    Reading reading = new Reading(exchange, request, response, in, body);
    exchange.addListener(reading);
    in.setReadListener(reading);
  }

  private String tooLarge() {
    return "a request body has at most " + maxBytes + " bytes";
  }

  /** A problem answer, and the connection closed after it: the rest of the body is not read. */
  private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemType type,
      String detail) throws IOException {
    response.setHeader("Connection", "close");
    ProblemResponses.write(request, response, type, detail);
  }

  /** The bytes so far; whole at {@code length}, or (chunked) at the end of the stream. */
  private final class Body {

    private final long length;
    private byte[] bytes;
    private int size;
    private boolean ended;

    Body(long length) {
      this.length = length;
      this.bytes = new byte[(int) Math.min(length > 0 ? length : maxBytes + 1, 1024)];
    }

    /**
     * Reads what can be read of a body with a length without blocking (in blocking mode:
     * {@code available()} bytes at a time, never past the length).
     */
    void readWhatHasArrived(ServletInputStream in) throws IOException {
      int available;
      while (!whole() && !ended && (available = in.available()) > 0) {
        add(in, Math.min(available, room()));
      }
    }

    /**
     * Reads at most {@code most} bytes, the buffer doubling as they come (a client that only says
     * how long its body will be costs 1 KiB); false once over the limit (a chunked body may try
     * one byte more than the limit, to prove it).
     */
    boolean add(ServletInputStream in, int most) throws IOException {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, length > 0 ? (int) length : maxBytes + 1));
      }
      int n = in.read(bytes, size, Math.min(most, bytes.length - size));
      if (n < 0) {
        ended = true;
        return true;
      }
      size += n;
      return size <= maxBytes;
    }

    private int room() {
      return length > 0 ? (int) (length - size) : maxBytes + 1 - size;
    }

    boolean whole() {
      return length > 0 ? size == length : ended;
    }

    byte[] bytes() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }

  /** The body's remaining bytes as they come, on container threads; then the dispatch, or a problem. */
  private final class Reading implements ReadListener, AsyncListener {

    private final AsyncContext exchange;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ServletInputStream in;
    private final Body body;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reading(AsyncContext exchange, HttpServletRequest request, HttpServletResponse response, ServletInputStream in,
        Body body) {
      this.exchange = exchange;
      this.request = request;
      this.response = response;
      this.in = in;
      this.body = body;
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!body.whole() && in.isReady()) {
        if (!body.add(in, Math.max(1, body.room()))) {
          answer(ProblemType.CONTENT_TOO_LARGE, tooLarge());
          return;
        }
      }
      if (body.whole()) {
        onAllDataRead();
      }
    }

    @Override
    public void onAllDataRead() {
      if (settled.compareAndSet(false, true)) {
        request.setAttribute(BODY, body.bytes());
        exchange.dispatch();
      }
    }

    @Override
    public void onError(Throwable failure) {
      // the connection failed or timed out while the body came: nobody to answer
      log.debug("request body not read: {}", failure.toString());
      if (settled.compareAndSet(false, true)) {
        exchange.complete();
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      answer(ProblemType.REQUEST_TIMEOUT, "the request body did not arrive whole within " + timeout.toSeconds() + " s");
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}

    private void answer(ProblemType type, String detail) throws IOException {
      if (settled.compareAndSet(false, true)) {
        try {
          refuse(request, response, type, detail);
        } finally {
          exchange.complete();
        }
      }
    }
  }

  /** The request with its body read. */
  private static final class Read extends HttpServletRequestWrapper {

    private final byte[] body;
    /** While this filter hands the request on; not in any later dispatch of it. */
    private volatile boolean handing;

    Read(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    void handle(FilterChain chain, HttpServletResponse response) throws IOException, ServletException {
      handing = true;
      try {
        chain.doFilter(this, response);
      } finally {
        handing = false;
      }
    }

    /**
     * To the filters after this one, the dispatch that follows a body read without a thread is
     * the request's first; any later one (were the request dispatched again) is what it is.
     */
    @Override
    public DispatcherType getDispatcherType() {
      DispatcherType type = super.getDispatcherType();
      return handing && type == DispatcherType.ASYNC ? DispatcherType.REQUEST : type;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return bytes.read(buffer, offset, length);
        }

        @Override
        public int available() {
          return bytes.available();
        }

        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body has been read; read it from this stream");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }
}
