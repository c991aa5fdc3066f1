package io.oxbow.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of the {@code _schemas} topic, byte for byte as a Confluent Schema Registry writes it
 * (field order included, so that compaction matches keys written by either): keys {@code
 * {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}, {@code
 * {"keytype":"CONFIG","subject":"s","magic":0}} (global: no subject), {@code MODE}, {@code
 * DELETE_SUBJECT}; values as described on each factory method. Empty fields are omitted.
 */
final class SchemasTopicCodec {
  static final ObjectMapper JSON = new ObjectMapper();

  private SchemasTopicCodec() {}

  /** SCHEMA key of one version. */
  static byte[] schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
    return bytes(key);
  }

  /** SCHEMA value: subject, version, id, schema, deleted. */
  static byte[] schemaValue(SchemaEntry entry) {
    ObjectNode value = JSON.createObjectNode();
    value
        .put("subject", entry.subject())
        .put("version", entry.version())
        .put("id", entry.id())
        .put("schema", entry.schema())
        .put("deleted", entry.deleted());
    return bytes(value);
  }

  /** CONFIG key; {@code subject == null} for the global configuration. */
  static byte[] configKey(String subject) {
    return subjectKey("CONFIG", subject);
  }

  /** CONFIG value {@code {"compatibilityLevel":"FULL","subject":"s"}}. */
  static byte[] configValue(String subject, CompatibilityLevel level) {
    ObjectNode value = JSON.createObjectNode();
    value.put("compatibilityLevel", level.name());
    if (subject != null) {
      value.put("subject", subject);
    }
    return bytes(value);
  }

  /** MODE key; {@code subject == null} for the global mode. */
  static byte[] modeKey(String subject) {
    return subjectKey("MODE", subject);
  }

  /** DELETE_SUBJECT key. */
  static byte[] deleteSubjectKey(String subject) {
    return subjectKey("DELETE_SUBJECT", subject);
  }

  /** DELETE_SUBJECT value {@code {"subject":"s","version":N}}: versions up to N are deleted. */
  static byte[] deleteSubjectValue(String subject, int maxVersion) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", subject).put("version", maxVersion);
    return bytes(value);
  }

  private static byte[] subjectKey(String type, String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", type);
    if (subject != null) {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return bytes(key);
  }

  static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "not JSON: " + new String(bytes, StandardCharsets.UTF_8) + " (" + e.getMessage() + ")",
          e);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
