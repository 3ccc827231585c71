package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies have at most {@code maxBytes}: a larger {@code Content-Length} is answered
 * {@code 413} {@code content-too-large} before anything is read, and a body without a length
 * (chunked) stops being read at the limit, which ends as the same {@code 413}
 * ({@link ProblemJsonAdvice}).
 */
public final class BodyLimit extends OncePerRequestFilter {

  private final int maxBytes;

  public BodyLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > maxBytes) {
      response.setHeader("Connection", "close");   // the body we did not read is not drained
      ProblemResponses.write(request, response, ProblemType.CONTENT_TOO_LARGE, tooLarge(maxBytes));
      return;
    }
    chain.doFilter(length >= 0 ? request : new Limited(request, maxBytes), response);
  }

  static String tooLarge(int maxBytes) {
    return "a request body has at most " + maxBytes + " bytes";
  }

  /** Thrown while reading a body without a length once it passes the limit. */
  public static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(int maxBytes) {
      super(tooLarge(maxBytes));
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {

    private final int maxBytes;

    Limited(HttpServletRequest request, int maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream body = super.getInputStream();
      return new ServletInputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          int b = body.read();
          count(b < 0 ? 0 : 1);
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = body.read(buffer, offset, length);
          count(Math.max(n, 0));
          return n;
        }

        private void count(int n) throws IOException {
          read += n;
          if (read > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
          }
        }

        @Override
        public boolean isFinished() {
          return body.isFinished();
        }

        @Override
        public boolean isReady() {
          return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          body.setReadListener(listener);
        }
      };
    }

    @Override
    public java.io.BufferedReader getReader() throws IOException {
      return new java.io.BufferedReader(new java.io.InputStreamReader((InputStream) getInputStream(),
          getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding()));
    }
  }
}
