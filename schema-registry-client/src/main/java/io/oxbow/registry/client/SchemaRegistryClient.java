package io.oxbow.registry.client;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry: Oxbow's own server, a real Confluent Schema
 * Registry, or the in-memory registry of {@code mock://scope} URLs.
 *
 * <p>Create one from serde-style configuration with {@link SchemaRegistryClients#create}. Every
 * method throws {@link SchemaRegistryException} carrying the HTTP status and {@code error_code}
 * when the registry refuses, or status 0 when no registry could be reached.
 */
public interface SchemaRegistryClient extends Closeable {

  /**
   * Registers the schema under the subject ({@code POST /subjects/{s}/versions}); registering an
   * identical schema again returns the same id.
   *
   * @return the global schema id
   */
  int register(String subject, Schema schema);

  /**
   * Finds the version of the subject that holds this schema ({@code POST /subjects/{s}}).
   *
   * @throws SchemaRegistryException 40401 when the subject is absent, 40403 when the schema is not
   *     registered under it
   */
  RegisteredSchema lookup(String subject, Schema schema);

  /**
   * The schema with this global id ({@code GET /schemas/ids/{id}}), also after a soft delete.
   *
   * @throws SchemaRegistryException 40403 when no schema has that id
   */
  Schema schemaById(int id);

  /** The newest live version of the subject ({@code GET /subjects/{s}/versions/latest}). */
  RegisteredSchema latest(String subject);

  /** One version of the subject ({@code GET /subjects/{s}/versions/{v}}). */
  RegisteredSchema version(String subject, int version);

  /** The live subjects ({@code GET /subjects}). */
  List<String> subjects();

  /** The live versions of a subject, ascending ({@code GET /subjects/{s}/versions}). */
  List<Integer> versions(String subject);

  /**
   * Deletes a subject ({@code DELETE /subjects/{s}}); a permanent delete needs a soft delete first.
   *
   * @return the versions deleted
   */
  List<Integer> deleteSubject(String subject, boolean permanent);

  /**
   * Whether the schema may be registered under the subject at its compatibility level ({@code POST
   * /compatibility/subjects/{s}/versions/latest}).
   */
  boolean isCompatible(String subject, Schema schema);

  /**
   * Sets the compatibility level ({@code PUT /config} or {@code PUT /config/{s}}).
   *
   * @param subject the subject, or empty for the global level
   * @param level NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or
   *     FULL_TRANSITIVE
   * @return the level now in force
   */
  String updateCompatibility(Optional<String> subject, String level);

  /**
   * The compatibility level: of the subject when one is set for it, else the global level.
   *
   * @param subject the subject, or empty for the global level
   */
  String compatibility(Optional<String> subject);

  /** Releases connections; the default does nothing. */
  @Override
  default void close() {}
}
