package io.oxbow.registry.server;

/**
 * One stored version of a subject, as held in a SCHEMA record of {@code _schemas}.
 *
 * @param subject the subject
 * @param version its version in the subject
 * @param id the global schema id
 * @param schema the canonical schema string (Avro compact form)
 * @param deleted whether the version is soft-deleted
 */
public record SchemaEntry(String subject, int version, int id, String schema, boolean deleted) {
  SchemaEntry withDeleted(boolean value) {
    return new SchemaEntry(subject, version, id, schema, value);
  }
}
