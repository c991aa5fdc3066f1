package io.oxbow.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JettyConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Applies {@link HttpLimits} to Javalin's Jetty server: a bounded thread pool, one connector with
 * the connection limit, idle timeout, request header size and minimum request data rate, and an
 * error handler that answers the requests Jetty itself rejects (a header too large: 431, a
 * malformed request line: 400) with the same JSON error body as the routes.
 */
final class JettyLimits {
  private static final int MIN_THREADS = 8;
  private static final int THREAD_IDLE_MS = 60_000;

  private JettyLimits() {}

  /**
   * Applies {@code limits}; the API port's one connector is made by {@code apiConnector} (HTTPS
   * when the service's security has a certificate) or, when null, is plain HTTP.
   */
  static void apply(
      JettyConfig jetty,
      String name,
      String host,
      int port,
      HttpLimits limits,
      ApiConnector apiConnector) {
    QueuedThreadPool pool =
        new QueuedThreadPool(
            limits.maxThreads(), Math.min(MIN_THREADS, limits.maxThreads()), THREAD_IDLE_MS);
    pool.setName(name + "-http");
    jetty.threadPool = pool;
    jetty.modifyHttpConfiguration(
        http -> {
          http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
          http.setMinRequestDataRate(limits.minRequestDataRate());
          http.setSendServerVersion(false);
        });
    jetty.addConnector(
        (server, http) -> {
          ServerConnector connector;
          if (apiConnector == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
          } else {
            connector = apiConnector.create(server, http, host, port);
          }
          connector.setIdleTimeout(limits.idleTimeout().toMillis());
          server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
          return connector;
        });
    jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
  }

  /** Makes the API port's connector on {@code host:port}. */
  @FunctionalInterface
  interface ApiConnector {
    ServerConnector create(Server server, HttpConfiguration http, String host, int port);
  }

  /**
   * True when {@code e} (or a cause) means the server's limits or the client cut the request off: a
   * body arriving below the minimum rate, an idle timeout mid-request, the client gone.
   */
  static boolean cutOff(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof EofException
          || (t instanceof HttpException h && h.getCode() == HttpStatus.REQUEST_TIMEOUT_408)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message of a {@link #cutOff} failure, for the answer. */
  static String reason(Throwable e) {
    String reason = "timed out";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage();
      }
    }
    return reason.length() > 200 ? reason.substring(0, 200) : reason;
  }

  /** Jetty's own error answers (before any route runs) as {@code {"error":..,"status":..}}. */
  static final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback)
        throws IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
      body.put("error", text.length() > 200 ? text.substring(0, 200) : text);
      body.put("status", code);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpService.JSON);
      response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(body)), callback);
    }
  }
}
