package io.oxbow.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state: the materialized {@code _schemas} log. Every change arrives through {@link
 * #apply(byte[], byte[])} with a record's key and value, so a state rebuilt by replaying the topic
 * equals the state of the registry that wrote it, including records written by a Confluent Schema
 * Registry. Thread-safe: readers and the log applier synchronize on this object.
 */
public final class RegistryState {
  private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

  private final Map<String, TreeMap<Integer, SchemaEntry>> subjects = new HashMap<>();
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> configs = new HashMap<>();
  private final Map<String, String> modes = new HashMap<>();
  private int maxId;

  /**
   * Applies one record of the log.
   *
   * @param key the record key (JSON)
   * @param value the record value (JSON), or {@code null} for a tombstone
   */
  public synchronized void apply(byte[] key, byte[] value) {
    JsonNode k = SchemasTopicCodec.parse(key);
    String type = k.path("keytype").asText("");
    String subject = k.hasNonNull("subject") ? k.get("subject").asText() : null;
    JsonNode v = value == null ? null : SchemasTopicCodec.parse(value);
    switch (type) {
      case "SCHEMA" -> applySchema(subject, k.path("version").asInt(), v);
      case "CONFIG" -> applyConfig(subject, v);
      case "MODE" -> applyMode(subject, v);
      case "DELETE_SUBJECT" -> applyDeleteSubject(subject, v);
      case "CLEAR_SUBJECT" -> clearSubject(subject);
      case "NOOP" -> {
        // written by a starting Confluent registry to find the end of the log
      }
      case "CONTEXT", "ASSOC" -> log.debug("skipping a {} record of _schemas", type);
      default -> log.warn("skipping a _schemas record of unknown key type {}", type);
    }
  }

  private void applySchema(String subject, int version, JsonNode v) {
    TreeMap<Integer, SchemaEntry> versions =
        subjects.computeIfAbsent(subject, s -> new TreeMap<>());
    SchemaEntry old = versions.remove(version);
    if (v != null) {
      String schemaType = v.path("schemaType").asText("AVRO");
      if (!"AVRO".equals(schemaType)) {
        log.warn(
            "skipping {} schema {} version {}: only AVRO is supported",
            schemaType,
            subject,
            version);
      } else {
        SchemaEntry entry =
            new SchemaEntry(
                subject,
                version,
                v.path("id").asInt(),
                v.path("schema").asText(),
                v.path("deleted").asBoolean(false));
        versions.put(version, entry);
        schemaById.put(entry.id(), entry.schema());
        idBySchema.putIfAbsent(entry.schema(), entry.id());
        maxId = Math.max(maxId, entry.id());
      }
    }
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (old != null) {
      forgetIfUnused(old.id());
    }
  }

  private void forgetIfUnused(int id) {
    boolean used =
        subjects.values().stream().flatMap(m -> m.values().stream()).anyMatch(e -> e.id() == id);
    if (!used) {
      String schema = schemaById.remove(id);
      if (schema != null) {
        idBySchema.remove(schema, id);
      }
    }
  }

  private void applyConfig(String subject, JsonNode v) {
    String key = subject == null ? "" : subject;
    if (v == null) {
      configs.remove(key);
      return;
    }
    String level = v.path("compatibilityLevel").asText(v.path("compatibility").asText(""));
    try {
      configs.put(key, CompatibilityLevel.valueOf(level));
    } catch (IllegalArgumentException e) {
      log.warn("skipping CONFIG record of {} with unknown level '{}'", key, level);
    }
  }

  private void applyMode(String subject, JsonNode v) {
    String key = subject == null ? "" : subject;
    if (v == null) {
      modes.remove(key);
    } else {
      modes.put(key, v.path("mode").asText("READWRITE"));
    }
  }

  private void applyDeleteSubject(String subject, JsonNode v) {
    if (v == null || subject == null) {
      return;
    }
    int upTo = v.path("version").asInt(Integer.MAX_VALUE);
    TreeMap<Integer, SchemaEntry> versions = subjects.get(subject);
    if (versions != null) {
      versions.headMap(upTo, true).replaceAll((ver, e) -> e.withDeleted(true));
    }
  }

  private void clearSubject(String subject) {
    TreeMap<Integer, SchemaEntry> removed = subject == null ? null : subjects.remove(subject);
    if (removed != null) {
      removed.values().forEach(e -> forgetIfUnused(e.id()));
    }
  }

  /** Every stored version of the subject (live and soft-deleted), ascending. */
  public synchronized List<SchemaEntry> versions(String subject) {
    TreeMap<Integer, SchemaEntry> versions = subjects.get(subject);
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  /**
   * The subjects, sorted; with {@code includeDeleted} also those with only soft-deleted versions.
   */
  public synchronized List<String> subjects(boolean includeDeleted) {
    TreeSet<String> out = new TreeSet<>();
    subjects.forEach(
        (s, versions) -> {
          if (includeDeleted || versions.values().stream().anyMatch(e -> !e.deleted())) {
            out.add(s);
          }
        });
    return new ArrayList<>(out);
  }

  /** The schema string of a global id. */
  public synchronized Optional<String> schemaById(int id) {
    return Optional.ofNullable(schemaById.get(id));
  }

  /** The id already given to an identical schema string, under any subject. */
  public synchronized Optional<Integer> idOf(String canonicalSchema) {
    return Optional.ofNullable(idBySchema.get(canonicalSchema));
  }

  /** Every version (of any subject) that holds the schema id, sorted by subject and version. */
  public synchronized List<SchemaEntry> usagesOf(int id) {
    List<SchemaEntry> out = new ArrayList<>();
    new TreeMap<>(subjects)
        .values()
        .forEach(
            versions -> versions.values().stream().filter(e -> e.id() == id).forEach(out::add));
    return out;
  }

  /** The highest schema id in the log; 0 when empty. */
  public synchronized int maxId() {
    return maxId;
  }

  /** The compatibility level set for a subject ({@code null}: global), if any. */
  public synchronized Optional<CompatibilityLevel> config(String subject) {
    return Optional.ofNullable(configs.get(subject == null ? "" : subject));
  }

  /** The mode set for a subject ({@code null}: global), if any. */
  public synchronized Optional<String> mode(String subject) {
    return Optional.ofNullable(modes.get(subject == null ? "" : subject));
  }

  /** Number of distinct schema ids known. */
  public synchronized int schemaCount() {
    return schemaById.size();
  }
}
