package io.oxbow.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A minimal HTTP caller for the REST ITs: status plus body text and JSON. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String base;

  Http(String base) {
    this.base = base;
  }

  record Answer(int status, String body, String contentType) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    int errorCode() {
      return json().path("error_code").asInt();
    }
  }

  Answer get(String path) {
    return call("GET", path, null, "application/vnd.schemaregistry.v1+json");
  }

  Answer post(String path, String body) {
    return call("POST", path, body, "application/vnd.schemaregistry.v1+json");
  }

  Answer put(String path, String body) {
    return call("PUT", path, body, "application/json");
  }

  Answer delete(String path) {
    return call("DELETE", path, null, "application/json");
  }

  Answer call(String method, String path, String body, String contentType, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A register/lookup body for an Avro schema given as JSON text. */
  static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }
}
