package io.oxbow.registry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent REST API ({@code
 * application/vnd.schemaregistry.v1+json}), with java.net.http and Jackson.
 *
 * <p>Caches id to schema, (subject, schema) to id and (subject, schema) to version, each bounded by
 * {@code max.schemas.per.subject} per subject. Connection errors move on to the next URL of the
 * list; 5xx answers and connection errors are retried up to {@code max.retries} times with
 * exponential backoff. 4xx answers throw {@link SchemaRegistryException} at once.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final AtomicInteger currentUrl = new AtomicInteger();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<String, Map<String, RegisteredSchema>> lookupsBySubject =
      new ConcurrentHashMap<>();

  /** A client with the given settings. */
  public RestSchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    TlsContexts.from(config.ssl()).ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  @Override
  public int register(String subject, Schema schema) {
    String text = schema.toString();
    Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(text);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text));
    int id = answer.path("id").asInt();
    cache(idsBySubject, subject, text, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    String text = schema.toString();
    RegisteredSchema cached = lookupsBySubject.getOrDefault(subject, Map.of()).get(text);
    if (cached != null) {
      return cached;
    }
    RegisteredSchema found =
        registered(send("POST", "/subjects/" + encode(subject), schemaBody(text)));
    cache(lookupsBySubject, subject, text, found);
    return found;
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        i ->
            new Schema.Parser()
                .parse(send("GET", "/schemas/ids/" + i, null).path("schema").asText()));
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return registered(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return registered(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
  }

  @Override
  public List<String> subjects() {
    List<String> out = new ArrayList<>();
    send("GET", "/subjects", null).forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public List<Integer> versions(String subject) {
    return ints(send("GET", "/subjects/" + encode(subject) + "/versions", null));
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    idsBySubject.remove(subject);
    lookupsBySubject.remove(subject);
    return ints(send("DELETE", "/subjects/" + encode(subject) + "?permanent=" + permanent, null));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode answer =
        send(
            "POST",
            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
            schemaBody(schema.toString()));
    return answer.path("is_compatible").asBoolean(false);
  }

  @Override
  public String updateCompatibility(Optional<String> subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    return send("PUT", configPath(subject), body).path("compatibility").asText();
  }

  @Override
  public String compatibility(Optional<String> subject) {
    String path = configPath(subject) + (subject.isPresent() ? "?defaultToGlobal=true" : "");
    return send("GET", path, null).path("compatibilityLevel").asText();
  }

  private static String configPath(Optional<String> subject) {
    return subject.map(s -> "/config/" + encode(s)).orElse("/config");
  }

  /**
   * Sends one request, failing over across the URL list and retrying 5xx and connection errors.
   *
   * @return the parsed JSON answer
   */
  JsonNode send(String method, String path, JsonNode body) {
    int attempts = config.maxRetries() + 1;
    long wait = config.retryWait().toMillis();
    RuntimeException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      for (int tried = 0; tried < config.urls().size(); tried++) {
        int index = Math.floorMod(currentUrl.get(), config.urls().size());
        String base = config.urls().get(index);
        try {
          return once(method, base, path, body);
        } catch (IOException e) {
          last = new SchemaRegistryException("cannot reach the schema registry at " + base, e);
          log.debug("{} {}{} failed: {}", method, base, path, e.toString());
          currentUrl.compareAndSet(index, index + 1);
        } catch (SchemaRegistryException e) {
          if (e.status() < 500) {
            throw e;
          }
          last = e;
          break;
        }
      }
      if (attempt + 1 < attempts) {
        pause(wait);
        wait = Math.min(wait * 2, config.retryMaxWait().toMillis());
      }
    }
    throw last;
  }

  private JsonNode once(String method, String base, String path, JsonNode body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(withoutUserInfo(base) + path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json")
            .header("Content-Type", CONTENT_TYPE);
    config.authorization().ifPresent(a -> request.header("Authorization", a));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling the schema registry", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() >= 400) {
      int code = answer.path("error_code").asInt(response.statusCode());
      String message = answer.path("message").asText(response.body());
      throw new SchemaRegistryException(response.statusCode(), code, message);
    }
    return answer;
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  private static String withoutUserInfo(String base) {
    URI uri = URI.create(base);
    if (uri.getRawUserInfo() == null) {
      return base;
    }
    return base.replace(uri.getRawUserInfo() + "@", "");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while waiting to retry", e);
    }
  }

  private <V> void cache(Map<String, Map<String, V>> caches, String subject, String key, V value) {
    Map<String, V> perSubject = caches.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    if (perSubject.size() < config.maxSchemasPerSubject()) {
      perSubject.put(key, value);
    }
  }

  private static ObjectNode schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema);
  }

  private static RegisteredSchema registered(JsonNode n) {
    return new RegisteredSchema(
        n.path("subject").asText(),
        n.path("version").asInt(),
        n.path("id").asInt(),
        n.path("schema").asText());
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
