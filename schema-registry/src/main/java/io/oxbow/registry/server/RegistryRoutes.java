package io.oxbow.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.runtime.http.HttpService;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Confluent Schema Registry REST API over a {@link RegistryService}: subjects, versions,
 * schemas by id, deletes, configuration, compatibility tests, mode. Answers in {@code
 * application/vnd.schemaregistry.v1+json}; any request content type is accepted; unknown query
 * parameters and JSON fields are ignored. Errors are {@code {"error_code":N,"message":"..."}}.
 */
final class RegistryRoutes {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryService registry;
  private final SubjectAdmin admin;

  RegistryRoutes(RegistryService registry) {
    this.registry = registry;
    this.admin = registry.admin();
  }

  void register(RoutesConfig r) {
    r.get("/", ctx -> send(ctx, JSON.createObjectNode()));
    r.get("/schemas/types", ctx -> send(ctx, List.of("AVRO")));
    r.get("/contexts", ctx -> send(ctx, List.of(".")));
    r.get("/schemas", this::allSchemas);
    r.get("/schemas/ids/{id}", ctx -> send(ctx, schemaBody(registry.schemaById(id(ctx)))));
    r.get("/schemas/ids/{id}/schema", ctx -> raw(ctx, registry.schemaById(id(ctx))));
    r.get("/schemas/ids/{id}/versions", this::versionsOfId);
    r.get(
        "/schemas/ids/{id}/subjects",
        ctx ->
            send(
                ctx,
                registry.usagesOf(id(ctx), deleted(ctx)).stream()
                    .map(SchemaEntry::subject)
                    .distinct()
                    .toList()));
    r.get(
        "/subjects",
        ctx -> send(ctx, registry.subjects(ctx.queryParam("subjectPrefix"), deleted(ctx))));
    r.get(
        "/subjects/{subject}/versions",
        ctx -> send(ctx, registry.versions(ctx.pathParam("subject"), deleted(ctx))));
    r.post("/subjects/{subject}/versions", this::registerSchema);
    r.get("/subjects/{subject}/versions/{version}", ctx -> send(ctx, entryBody(version(ctx))));
    r.get("/subjects/{subject}/versions/{version}/schema", ctx -> raw(ctx, version(ctx).schema()));
    r.get(
        "/subjects/{subject}/versions/{version}/referencedby",
        ctx -> {
          version(ctx);
          send(ctx, List.of());
        });
    r.delete(
        "/subjects/{subject}/versions/{version}",
        ctx ->
            send(
                ctx,
                admin.deleteVersion(
                    ctx.pathParam("subject"), ctx.pathParam("version"), flag(ctx, "permanent"))));
    r.post("/subjects/{subject}", this::lookup);
    r.delete(
        "/subjects/{subject}",
        ctx -> send(ctx, admin.deleteSubject(ctx.pathParam("subject"), flag(ctx, "permanent"))));
    registerConfig(r);
    r.post(
        "/compatibility/subjects/{subject}/versions/{version}",
        ctx -> compatibility(ctx, ctx.pathParam("version")));
    r.post("/compatibility/subjects/{subject}/versions", ctx -> compatibility(ctx, null));
    r.get("/mode", ctx -> send(ctx, JSON.createObjectNode().put("mode", admin.mode(null))));
    r.get(
        "/mode/{subject}",
        ctx ->
            send(ctx, JSON.createObjectNode().put("mode", admin.mode(ctx.pathParam("subject")))));
  }

  private void registerConfig(RoutesConfig r) {
    r.get("/config", ctx -> send(ctx, level(admin.globalLevel())));
    r.put("/config", ctx -> putConfig(ctx, null));
    r.delete("/config", ctx -> send(ctx, level(admin.deleteLevel(null))));
    r.get(
        "/config/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          Optional<CompatibilityLevel> own = admin.level(subject);
          if (own.isEmpty() && !flag(ctx, "defaultToGlobal")) {
            throw new SchemaRegistryException(
                404,
                SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
          }
          send(ctx, level(own.orElseGet(admin::globalLevel)));
        });
    r.put("/config/{subject}", ctx -> putConfig(ctx, ctx.pathParam("subject")));
    r.delete(
        "/config/{subject}", ctx -> send(ctx, level(admin.deleteLevel(ctx.pathParam("subject")))));
  }

  private void registerSchema(Context ctx) {
    String schema = schemaOf(body(ctx));
    SchemaEntry entry = registry.register(ctx.pathParam("subject"), schema);
    send(ctx, JSON.createObjectNode().put("id", entry.id()));
  }

  private void lookup(Context ctx) {
    String schema = schemaOf(body(ctx));
    send(ctx, entryBody(registry.lookup(ctx.pathParam("subject"), schema, deleted(ctx))));
  }

  private void allSchemas(Context ctx) {
    boolean latestOnly = flag(ctx, "latestOnly");
    ArrayNode out = JSON.createArrayNode();
    for (String subject : registry.subjects(ctx.queryParam("subjectPrefix"), deleted(ctx))) {
      List<Integer> versions = registry.versions(subject, deleted(ctx));
      List<Integer> shown =
          latestOnly ? versions.subList(versions.size() - 1, versions.size()) : versions;
      for (int v : shown) {
        out.add(entryBody(registry.version(subject, String.valueOf(v), deleted(ctx))));
      }
    }
    send(ctx, out);
  }

  private void versionsOfId(Context ctx) {
    ArrayNode out = JSON.createArrayNode();
    for (SchemaEntry e : registry.usagesOf(id(ctx), deleted(ctx))) {
      out.addObject().put("subject", e.subject()).put("version", e.version());
    }
    send(ctx, out);
  }

  private void putConfig(Context ctx, String subject) {
    JsonNode body = body(ctx);
    JsonNode wanted = body.get("compatibility");
    ObjectNode echo = JSON.createObjectNode();
    if (wanted != null && !wanted.isNull()) {
      CompatibilityLevel level = CompatibilityLevel.parse(wanted.asText());
      admin.setLevel(subject, level);
      echo.put("compatibility", level.name());
    }
    send(ctx, echo);
  }

  private void compatibility(Context ctx, String version) {
    boolean verbose = flag(ctx, "verbose");
    String schema = schemaOf(body(ctx));
    String subject = ctx.pathParam("subject");
    List<String> problems;
    try {
      problems = registry.testCompatibility(subject, version, schema);
    } catch (SchemaRegistryException e) {
      if (!verbose || e.errorCode() != SchemaRegistryException.INVALID_SCHEMA) {
        throw e;
      }
      problems = List.of(e.getMessage());
    }
    ObjectNode out = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (verbose) {
      ArrayNode messages = out.putArray("messages");
      problems.forEach(messages::add);
    }
    send(ctx, out);
  }

  private SchemaEntry version(Context ctx) {
    return registry.version(ctx.pathParam("subject"), ctx.pathParam("version"), deleted(ctx));
  }

  private static int id(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw Errors.schemaNotFound("Schema " + RegistryLimits.shown(text) + " not found");
    }
  }

  private static boolean deleted(Context ctx) {
    return flag(ctx, "deleted");
  }

  private static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v != null && "true".equals(v.trim().toLowerCase(Locale.ROOT));
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      throw new SchemaRegistryException(400, 400, "The request has no JSON body");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new SchemaRegistryException(400, 400, "The request body is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryException(
          400, 400, "The request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String schemaOf(JsonNode body) {
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type.toUpperCase(Locale.ROOT))) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Invalid schema: schemaType " + type + " is not supported by this registry (AVRO only)");
    }
    JsonNode refs = body.get("references");
    if (refs != null && refs.isArray() && !refs.isEmpty()) {
      throw new SchemaRegistryException(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Invalid schema: schema references are not supported by this registry");
    }
    JsonNode schema = body.get("schema");
    return schema == null || schema.isNull() ? null : schema.asText();
  }

  private static ObjectNode schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema);
  }

  private static ObjectNode entryBody(SchemaEntry e) {
    return JSON.createObjectNode()
        .put("subject", e.subject())
        .put("version", e.version())
        .put("id", e.id())
        .put("schema", e.schema());
  }

  private static ObjectNode level(CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibilityLevel", level.name());
  }

  private static void raw(Context ctx, String text) {
    ctx.contentType(CONTENT_TYPE).result(text);
  }

  static void send(Context ctx, Object body) {
    try {
      ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static void error(Context ctx, int status, int code, String message) {
    HttpService.startErrorAnswer(ctx);
    ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
    ctx.status(status);
    send(ctx, body);
  }
}
