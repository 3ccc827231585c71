package dev.streamledger.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few HTTP calls the benchmarks make, over a deliberately small HTTP/1.1 client: blocking
 * keep-alive sockets, one per worker thread and server. The load generator shares the machine
 * with the stack it measures, so it must cost little CPU per request; the JDK's HttpClient cost
 * about 2 ms of CPU per request here, a third of a core at 250/s, which this avoids.
 */
final class Api {

  /** Enough workers that requests queue only when the stack is far behind (that queueing counts as latency). */
  private static final int WORKERS = 512;

  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, task -> {
    Thread thread = new Thread(task, "http-worker");
    thread.setDaemon(true);
    return thread;
  });
  private final ThreadLocal<Map<String, Connection>> connections = ThreadLocal.withInitial(HashMap::new);

  /**
   * The bearer token every request carries ({@code STREAMLEDGER_TOKEN}: an operator's, whose
   * subject owns the users the benchmark registers; {@code bin/bench-*} take one from bin/token).
   */
  private static final String AUTHORIZATION = authorization(System.getenv("STREAMLEDGER_TOKEN"));

  record Response(int statusCode, String body) {}

  private static String authorization(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("set STREAMLEDGER_TOKEN to an operator's token, e.g. $(bin/token bench --operator)");
    }
    return "Authorization: Bearer " + token.strip() + "\r\n";
  }

  /**
   * Sends {@code json} with {@code idempotencyKey} as its {@code Idempotency-Key} (none if null),
   * as a correct client does for every command it may have to retry.
   */
  CompletableFuture<Integer> postStatus(String url, String json, String idempotencyKey) {
    String headers = idempotencyKey == null ? "" : "Idempotency-Key: " + idempotencyKey + "\r\n";
    return CompletableFuture.supplyAsync(() -> send("POST", url, json, headers).statusCode(), workers);
  }

  CompletableFuture<Integer> getStatus(String url) {
    return CompletableFuture.supplyAsync(() -> send("GET", url, null, "").statusCode(), workers);
  }

  Response postBlocking(String url, String json) {
    return send("POST", url, json, "");
  }

  /** Sends {@code json} with {@code idempotencyKey} and waits for the answer (an I/O failure throws). */
  Response postBlocking(String url, String json, String idempotencyKey) {
    return send("POST", url, json, "Idempotency-Key: " + idempotencyKey + "\r\n");
  }

  Response get(String url) {
    return send("GET", url, null, "");
  }

  /**
   * Registers a new owner (named {@code prefix} and a random suffix) at the command service
   * {@code command} and opens {@code count} EUR accounts for it, each with a deposit of
   * {@code funding} unless it is null.
   */
  List<String> openAccounts(String command, String prefix, int count, BigDecimal funding) {
    String owner = prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    require(postBlocking(command + "/users", "{\"username\":\"" + owner + "\"}").statusCode(), "register");
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var opened = postBlocking(command + "/accounts", "{\"owner\":\"" + owner + "\",\"currency\":\"EUR\"}");
      require(opened.statusCode(), "open account");
      String account = field(opened.body(), "accountId");
      if (funding != null) {
        require(postBlocking(command + "/accounts/" + account + "/deposits",
            "{\"amount\":\"" + funding.toPlainString() + "\"}").statusCode(), "deposit");
      }
      accounts.add(account);
    }
    return accounts;
  }

  private static void require(int status, String what) {
    if (status != 201) {
      throw new IllegalStateException(what + " answered " + status);
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  private Response send(String method, String url, String body, String extraHeaders) {
    URI uri = URI.create(url);
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String server = uri.getHost() + ":" + uri.getPort();
    Map<String, Connection> mine = connections.get();
    Connection connection = mine.get(server);
    boolean reused = connection != null;
    try {
      if (connection == null) {
        connection = new Connection(uri.getHost(), uri.getPort());
        mine.put(server, connection);
      }
      Response response = connection.exchange(method, target, server, body, extraHeaders);
      if (connection.closedByServer) {
        mine.remove(server);
        connection.close();
      }
      return response;
    } catch (IOException e) {
      mine.remove(server);
      if (connection != null) {
        connection.close();
      }
      if (reused && e instanceof StaleConnectionException) {
        return send(method, url, body, extraHeaders); // the server closed an idle connection before reading the request
      }
      throw new UncheckedIOException(e);
    }
  }

  /** The server closed the connection without answering: it never saw the request. */
  private static final class StaleConnectionException extends IOException {
    StaleConnectionException() {
      super("connection closed by the server");
    }
  }

  private static final class Connection {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    /** The last response said {@code Connection: close} (Tomcat does after 100 requests on one connection). */
    private boolean closedByServer;

    Connection(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    Response exchange(String method, String target, String server, String body, String extraHeaders)
        throws IOException {
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder(160).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
          .append("Host: ").append(server).append("\r\n").append(AUTHORIZATION).append(extraHeaders);
      if (body != null) {
        head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
      }
      try {
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.flush();
      } catch (SocketException e) {
        throw new StaleConnectionException(); // broken pipe: the server closed it between requests
      }

      String status = line();
      if (status == null) {
        throw new StaleConnectionException();
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String header = line(); header != null && !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closedByServer = true;
        }
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
            size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
          received.write(in.readNBytes(size));
          line();
        }
        line();
      } else if (length > 0) {
        received.write(in.readNBytes((int) length));
      }
      return new Response(code, received.toString(StandardCharsets.UTF_8));
    }

    /** One CRLF-terminated line without its terminator, or null at the end of the stream. */
    private String line() throws IOException {
      StringBuilder text = new StringBuilder(64);
      for (int b = in.read(); b != -1; b = in.read()) {
        if (b == '\n') {
          int end = text.length();
          return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
        }
        text.append((char) b);
      }
      return text.length() == 0 ? null : text.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
