package io.oxbow.registry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors the HTTP server answers before a request reaches the registry's routes (a malformed or
 * ambiguous path such as {@code /subjects/%00}, an invalid header) in the registry's format, {@code
 * {"error_code": status, "message": "..."}}, instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every method gets the JSON body, PUT and DELETE too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    String text = "HTTP " + code + (message == null || message.isBlank() ? "" : ": " + message);
    byte[] body =
        JSON.writeValueAsBytes(
            JSON.createObjectNode().put("error_code", code).put("message", text));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, RegistryRoutes.CONTENT_TYPE);
    // the server closes the connection after such an error: say so, so no client reuses it
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
