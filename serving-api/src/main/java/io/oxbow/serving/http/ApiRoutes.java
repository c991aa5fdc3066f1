package io.oxbow.serving.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.serving.ops.DeadLetterStore;
import io.oxbow.serving.ops.StatusService;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryException;
import io.oxbow.serving.query.QueryGate;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.views.MetricSpec;
import io.oxbow.views.ViewDefinition;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the serving API under {@code /api/v1}: {@code views}, {@code views/{view}/query},
 * {@code status}, {@code dlq}, {@code openapi.json} and the rendered OpenAPI page {@code docs}.
 */
public final class ApiRoutes {
  /** Prefix of every API route. */
  public static final String BASE = "/api/v1";

  /** Most dead letters one {@code dlq} request returns; default 20. */
  public static final int MAX_DLQ = 500;

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes of an answer handed to the server at once (fewer, larger writes for large answers). */
  private static final int RESPONSE_BUFFER = 256 * 1024;

  private final QueryEngine engine;
  private final QueryGate gate;
  private final StatusService status;
  private final DeadLetterStore deadLetters;
  private final byte[] openApi = resource("openapi.json");
  private final byte[] docsPage = resource("api-docs.html");

  /** Routes over the given parts; at most the engine's concurrent queries are answered at once. */
  public ApiRoutes(QueryEngine engine, StatusService status, DeadLetterStore deadLetters) {
    this.engine = engine;
    this.gate = new QueryGate(engine.limits().maxConcurrent(), engine.limits().concurrentWait());
    this.status = status;
    this.deadLetters = deadLetters;
  }

  /** Adds the routes. */
  public void register(RoutesConfig routes) {
    routes.get(BASE + "/views", this::views);
    routes.get(BASE + "/views/{view}/query", this::query);
    routes.get(BASE + "/status", ctx -> ctx.json(status.status()));
    routes.get(BASE + "/dlq", this::dlq);
    routes.get(BASE + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    routes.get(
        BASE + "/docs",
        ctx -> ctx.html(new String(docsPage, java.nio.charset.StandardCharsets.UTF_8)));
  }

  private void views(Context ctx) {
    List<Map<String, Object>> views = new ArrayList<>();
    for (ViewDefinition view : engine.catalog().definitions()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", view.name());
      out.put("source", view.source().id());
      out.put("window", view.window().id());
      out.put("dimensions", view.dimensions());
      out.put("filter", view.filter());
      List<Map<String, Object>> metrics = new ArrayList<>();
      for (MetricSpec metric : view.metrics()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", metric.name());
        m.put("type", metric.type().id());
        m.put("field", metric.field());
        metrics.add(m);
      }
      out.put("metrics", metrics);
      views.add(out);
    }
    ctx.json(Map.of("views", views));
  }

  /**
   * A query holds a place of the gate while it is computed and written (its rows stay in memory
   * until written, so a slow reader holds its place too).
   */
  private void query(Context ctx) throws IOException {
    try (QueryGate.Place place = gate.enter()) {
      QueryResult result;
      try {
        result = engine.query(ctx.pathParam("view"), ctx.queryParamMap());
      } catch (QueryException e) {
        if (e.status() >= 500) {
          log.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
        }
        throw new ApiException(
            e.status(),
            e.getMessage(),
            List.of(new ApiException.FieldError(-1, e.parameter(), e.getMessage())),
            e.status() == 503
                ? Map.of("Retry-After", String.valueOf(QueryGate.RETRY_AFTER_SECONDS))
                : Map.of());
      }
      // streamed: a day of minutes is thousands of rows, never built as one tree or string
      ctx.contentType("application/json");
      try (JsonGenerator json =
          JSON.getFactory()
              .createGenerator(new BufferedOutputStream(ctx.outputStream(), RESPONSE_BUFFER))) {
        result.writeJson(json);
      }
    } catch (QueryGate.Busy e) {
      throw new ApiException(
          503,
          e.getMessage(),
          List.of(new ApiException.FieldError(-1, "query", e.getMessage())),
          Map.of("Retry-After", String.valueOf(QueryGate.RETRY_AFTER_SECONDS)));
    }
  }

  private void dlq(Context ctx) {
    String text = ctx.queryParam("limit");
    int limit = 20;
    if (text != null) {
      try {
        limit = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_DLQ) {
        String message = "limit: '" + text + "' is not a whole number within 1.." + MAX_DLQ;
        throw new ApiException(
            400, message, List.of(new ApiException.FieldError(-1, "limit", message)), Map.of());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", deadLetters.total());
    out.put("by_reason", deadLetters.countsByReason());
    out.put("records", deadLetters.newest(limit));
    ctx.json(out);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
