package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The seven compatibility levels of a Confluent schema registry, checked with Avro's own {@link
 * SchemaCompatibility#checkReaderWriterCompatibility}.
 *
 * <p>BACKWARD: the new schema reads data written with the latest live version; FORWARD: the latest
 * reads data of the new one; FULL: both. The {@code _TRANSITIVE} variants check every live version,
 * newest first. The first version of a subject always passes.
 */
public enum CompatibilityLevel {
  /** No check. */
  NONE(false, false, false),
  /** New reads latest. */
  BACKWARD(true, false, false),
  /** New reads all live versions. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** Latest reads new. */
  FORWARD(false, true, false),
  /** All live versions read new. */
  FORWARD_TRANSITIVE(false, true, true),
  /** Both ways with latest. */
  FULL(true, true, false),
  /** Both ways with all live versions. */
  FULL_TRANSITIVE(true, true, true);

  /** The level of a registry where none was ever set. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /**
   * The level named by the text, case-insensitive.
   *
   * @throws SchemaRegistryException 42203 when the text names no level
   */
  public static CompatibilityLevel parse(String text) {
    if (text != null) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the registry error below
      }
    }
    throw new SchemaRegistryException(
        422,
        SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level. Valid values are none, backward, forward, full,"
            + " backward_transitive, forward_transitive, and full_transitive");
  }

  /**
   * The level named by a configuration value, for {@code Setting} parsers.
   *
   * @throws IllegalArgumentException listing the valid levels
   */
  public static CompatibilityLevel parseSetting(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,"
              + " FULL_TRANSITIVE");
    }
  }

  /**
   * Checks a candidate against earlier schemas.
   *
   * @param candidate the schema to register
   * @param previousNewestFirst the live versions' schemas, newest first
   * @return human-readable incompatibilities; empty when compatible
   */
  public List<String> check(Schema candidate, List<VersionedSchema> previousNewestFirst) {
    List<String> messages = new ArrayList<>();
    if (this == NONE || previousNewestFirst.isEmpty()) {
      return messages;
    }
    List<VersionedSchema> against =
        transitive ? previousNewestFirst : previousNewestFirst.subList(0, 1);
    for (VersionedSchema previous : against) {
      List<String> found = new ArrayList<>();
      if (backward) {
        found.addAll(describe(candidate, previous.schema()));
      }
      if (forward) {
        found.addAll(describe(previous.schema(), candidate));
      }
      if (!found.isEmpty()) {
        messages.addAll(found);
        messages.add("{oldSchemaVersion: " + previous.version() + "}");
        messages.add("{oldSchema: '" + previous.schema() + "'}");
        messages.add("{compatibility: '" + name() + "'}");
        break;
      }
    }
    return messages;
  }

  private static List<String> describe(Schema reader, Schema writer) {
    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> out = new ArrayList<>();
    for (Incompatibility i : result.getResult().getIncompatibilities()) {
      out.add(
          "{errorType:'"
              + i.getType()
              + "', description:'"
              + i.getMessage()
              + "', additionalInfo:'"
              + i.getLocation()
              + "'}");
    }
    return out;
  }

  /**
   * A schema with the version it has in its subject.
   *
   * @param version the version
   * @param schema the parsed schema
   */
  public record VersionedSchema(int version, Schema schema) {}
}
