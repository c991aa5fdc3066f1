package io.oxbow.registry.client;

import java.util.Objects;

/**
 * One version of a subject: what {@code GET /subjects/{s}/versions/{v}} and {@code POST
 * /subjects/{s}} answer.
 *
 * @param subject the subject, e.g. {@code orders-value}
 * @param version the version within the subject, from 1
 * @param id the global schema id (the one in the wire format)
 * @param schema the schema as registered (Avro compact JSON)
 */
public record RegisteredSchema(String subject, int version, int id, String schema) {
  /** Checks that subject and schema are present. */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
