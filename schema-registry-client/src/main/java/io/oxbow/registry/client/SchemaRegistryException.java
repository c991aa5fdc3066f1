package io.oxbow.registry.client;

/**
 * An error answered by a schema registry (or raised by the in-memory one in the same way): the HTTP
 * status and the registry's {@code error_code}, e.g. 404 / 40401 "Subject 'x' not found."
 *
 * <p>Codes follow Confluent Schema Registry: 40401 subject not found, 40402 version not found,
 * 40403 schema not found, 40404 subject soft-deleted, 40405 subject not soft-deleted, 40406 version
 * soft-deleted, 40407 version not soft-deleted, 40408 subject compatibility not configured, 409 or
 * 40901 incompatible schema, 42201 invalid schema, 42202 invalid version, 42203 invalid
 * compatibility level, 42205 operation not permitted, 42208 invalid subject, 50001 store error,
 * 50002 timeout. Transport failures (no registry reachable) carry status 0 and code 0.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Subject soft-deleted already. */
  public static final int SUBJECT_SOFT_DELETED = 40404;

  /** Permanent delete of a subject that was not soft-deleted first. */
  public static final int SUBJECT_NOT_SOFT_DELETED = 40405;

  /** Version soft-deleted already. */
  public static final int VERSION_SOFT_DELETED = 40406;

  /** Permanent delete of a version that was not soft-deleted first. */
  public static final int VERSION_NOT_SOFT_DELETED = 40407;

  /** No compatibility level configured for the subject. */
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

  /** Incompatible schema (Confluent 7.x and early 8.x). */
  public static final int INCOMPATIBLE = 409;

  /** Incompatible schema (Confluent 8.0.4, 8.1.2, 8.2 and later). */
  public static final int INCOMPATIBLE_8X = 40901;

  /** The schema does not parse. */
  public static final int INVALID_SCHEMA = 42201;

  /** The version is not 1..2^31-1, "latest" or -1. */
  public static final int INVALID_VERSION = 42202;

  /** Unknown compatibility level. */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  /** Operation not permitted. */
  public static final int OPERATION_NOT_PERMITTED = 42205;

  /** Invalid subject name. */
  public static final int INVALID_SUBJECT = 42208;

  /** Storage error. */
  public static final int STORE_ERROR = 50001;

  /** Storage timeout. */
  public static final int TIMEOUT = 50002;

  private final int status;
  private final int errorCode;

  /**
   * An error with its HTTP status, registry error code and message.
   *
   * @param status HTTP status (0 when no registry answered)
   * @param errorCode the registry's {@code error_code} (0 when no registry answered)
   * @param message the registry's message
   */
  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** A transport failure: no registry answered. */
  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.errorCode = 0;
  }

  /** The HTTP status, 0 when no registry answered. */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code}, 0 when no registry answered. */
  public int errorCode() {
    return errorCode;
  }

  /** Whether this says the schema is incompatible (409 or 40901). */
  public boolean isIncompatible() {
    return errorCode == INCOMPATIBLE || errorCode == INCOMPATIBLE_8X;
  }

  /** Whether this is a not-found error (HTTP 404). */
  public boolean isNotFound() {
    return status == 404;
  }

  @Override
  public String toString() {
    return "SchemaRegistryException{status="
        + status
        + ", error_code="
        + errorCode
        + ", message="
        + getMessage()
        + "}";
  }

  static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(
        404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
  }
}
