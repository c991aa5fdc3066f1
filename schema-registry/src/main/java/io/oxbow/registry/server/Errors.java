package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;

/** The registry's error answers, with Confluent's statuses, codes and messages. */
final class Errors {
  private Errors() {}

  static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(
        404,
        SchemaRegistryException.SUBJECT_NOT_FOUND,
        "Subject '" + RegistryLimits.shown(subject) + "' not found.");
  }

  static SchemaRegistryException versionNotFound(int version) {
    return new SchemaRegistryException(
        404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
  }

  static SchemaRegistryException schemaNotFound(String what) {
    return new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, what);
  }

  static SchemaRegistryException invalidSchema(String detail) {
    return new SchemaRegistryException(
        422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema " + detail);
  }

  static SchemaRegistryException invalidSubject(String subject) {
    return new SchemaRegistryException(
        422,
        SchemaRegistryException.INVALID_SUBJECT,
        "The specified subject '" + subject + "' is not valid.");
  }

  static SchemaRegistryException notFound(int code, String message) {
    return new SchemaRegistryException(404, code, message);
  }
}
