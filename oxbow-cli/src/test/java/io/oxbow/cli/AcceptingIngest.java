package io.oxbow.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the ingest API at {@code /v1/}: accepts every request with {@code {"accepted":1}}
 * and records its Idempotency-Key.
 */
final class AcceptingIngest implements HttpHandler {
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();

  /** The Idempotency-Key of each request, in arrival order. */
  List<String> idempotencyKeys() {
    return idempotencyKeys;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
    exchange.getRequestBody().readAllBytes();
    byte[] body = "{\"accepted\":1}".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
