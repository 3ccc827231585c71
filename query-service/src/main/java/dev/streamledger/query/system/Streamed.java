package dev.streamledger.query.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A streamed answer whose {@code flush()} reaches the client. Spring hands a
 * {@link StreamingResponseBody} a stream that ignores {@code flush()} (unless a global flag says
 * otherwise), which would hold change-feed events and heartbeats back in the buffer; this writes
 * to the servlet's own output stream instead.
 */
public final class Streamed {

  /** What writes the answer, given a stream whose {@code flush()} sends what was written. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private Streamed() {}

  public static StreamingResponseBody body(HttpServletResponse response, Writer writer) {
    return ignoredNonFlushing -> writer.writeTo(response.getOutputStream());
  }
}
