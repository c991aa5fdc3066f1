package io.oxbow.registry.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the subject a schema is registered under ({@code
 * key.subject.name.strategy} / {@code value.subject.name.strategy}).
 *
 * <ul>
 *   <li>{@link #TOPIC_NAME} (default): {@code <topic>-key} / {@code <topic>-value}
 *   <li>{@link #RECORD_NAME}: the record's full name, {@code <namespace>.<Name>}
 *   <li>{@link #TOPIC_RECORD_NAME}: {@code <topic>-<namespace>.<Name>}
 * </ul>
 *
 * <p>Configured by class name: Confluent's ({@code
 * io.confluent.kafka.serializers.subject.TopicNameStrategy}, ...), this package's, or the simple
 * name ({@code TopicNameStrategy}, ...).
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}. */
  TOPIC_NAME("TopicNameStrategy"),
  /** {@code <namespace>.<Name>} of the record. */
  RECORD_NAME("RecordNameStrategy"),
  /** {@code <topic>-<namespace>.<Name>}. */
  TOPIC_RECORD_NAME("TopicRecordNameStrategy");

  private final String simpleName;

  SubjectNameStrategy(String simpleName) {
    this.simpleName = simpleName;
  }

  /** The subject for a schema written to the topic as key or value. */
  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
      case RECORD_NAME -> recordName(schema);
      case TOPIC_RECORD_NAME -> topic + "-" + recordName(schema);
    };
  }

  private static String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "the record name strategies need a record schema, not " + schema.getType());
    }
    return schema.getFullName();
  }

  /**
   * The strategy named by a configuration value.
   *
   * @param key the configuration key, for the error message
   * @param value a class name (Confluent's or Oxbow's), a simple name, or null for the default
   * @throws ConfigException when the value names no strategy
   */
  public static SubjectNameStrategy fromConfig(String key, Object value) {
    if (value == null) {
      return TOPIC_NAME;
    }
    String text = value instanceof Class<?> c ? c.getName() : value.toString().trim();
    String simple = text.substring(text.lastIndexOf('.') + 1);
    for (SubjectNameStrategy s : values()) {
      if (s.simpleName.equals(simple) || s.name().equals(simple.toUpperCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new ConfigException(
        key, value, "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
  }
}
