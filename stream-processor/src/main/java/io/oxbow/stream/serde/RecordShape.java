package io.oxbow.stream.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * What of a record schema decides its binary encoding and the Java values of its generated class:
 * the record's full name and, per field in order, its name and type (primitive types with their
 * logical type, unions with their branches in order, enums with their symbols in order, arrays and
 * maps with their item types, fixed with their size). Docs, defaults, aliases and other properties
 * are left out: they change neither.
 *
 * <p>A hand-written encoder or decoder states the shape it was written for and compares it with the
 * schema it is asked to use ({@link #mismatch}).
 *
 * @param record the record's full name
 * @param fields one {@code "name: type"} line per field, in the schema's order
 */
record RecordShape(String record, List<String> fields) {

  /** The shape of a record schema. */
  static RecordShape of(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      return new RecordShape(describe(schema), List.of());
    }
    List<String> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(field.name() + ": " + describe(field.schema()));
    }
    return new RecordShape(schema.getFullName(), List.copyOf(fields));
  }

  /**
   * The first difference between this shape, the one expected, and {@code actual}'s, in words; null
   * when they are the same.
   */
  String mismatch(Schema actual) {
    RecordShape other = of(actual);
    if (!record.equals(other.record)) {
      return "the schema is " + other.record + ", not " + record;
    }
    int common = Math.min(fields.size(), other.fields.size());
    for (int i = 0; i < common; i++) {
      if (!fields.get(i).equals(other.fields.get(i))) {
        return "field " + i + " is '" + other.fields.get(i) + "', expected '" + fields.get(i) + "'";
      }
    }
    if (other.fields.size() > fields.size()) {
      return "the schema has "
          + (other.fields.size() - fields.size())
          + " more field(s), from '"
          + other.fields.get(common)
          + "'";
    }
    if (other.fields.size() < fields.size()) {
      return "the schema lacks field(s) from '" + fields.get(common) + "'";
    }
    return null;
  }

  private static String describe(Schema schema) {
    return switch (schema.getType()) {
      case UNION ->
          schema.getTypes().stream()
              .map(RecordShape::describe)
              .collect(Collectors.joining(", ", "[", "]"));
      case ENUM -> "enum " + schema.getFullName() + schema.getEnumSymbols();
      case ARRAY -> "array<" + describe(schema.getElementType()) + ">";
      case MAP -> "map<" + describe(schema.getValueType()) + ">";
      case FIXED -> "fixed " + schema.getFullName() + "(" + schema.getFixedSize() + ")";
      case RECORD -> "record " + schema.getFullName() + of(schema).fields;
      default -> schema.getType().getName() + logical(schema.getLogicalType());
    };
  }

  private static String logical(LogicalType type) {
    return type == null ? "" : " (" + type.getName() + ")";
  }
}
