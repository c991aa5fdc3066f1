package io.oxbow.batch.landing;

import io.oxbow.batch.landing.BinaryNode.ArrayNode;
import io.oxbow.batch.landing.BinaryNode.RecordNode;
import io.oxbow.batch.landing.BinaryNode.Slot;
import io.oxbow.registry.serde.AvroBinaryReader;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes records of one Avro writer schema from their binary encoding straight into a Parquet
 * writer, column by column, without decoding them into generic records first; and reads the event
 * time from the bytes. The rows are the ones parquet-avro writes for the decoded records (see
 * {@link LandingWriteSupport}).
 *
 * <p>Handles records whose fields are, at any depth, primitives, strings, bytes, enums, fixed,
 * records, arrays, and unions of {@code null} with one other such type. A schema with a map
 * (parquet-avro writes a decoded map in its hash order, not the order of the bytes), a union of
 * several non-null types or a UUID column has no plan, and its records take the general path. So
 * does an event-time field that is not a {@code long} (or a union of {@code null} and a {@code
 * long}).
 */
final class BinaryPlan {
  private final Schema schema;
  private final MessageType parquet;
  private final RecordNode root;
  private final int timeField;

  private BinaryPlan(Schema schema, MessageType parquet, RecordNode root, int timeField) {
    this.schema = schema;
    this.parquet = parquet;
    this.root = root;
    this.timeField = timeField;
  }

  /**
   * The plan for records of {@code schema}, landed as {@code parquet} (the schema parquet-avro
   * derives from it), with the event time in the top-level field {@code timeField}; empty when the
   * schema has something the plan does not handle.
   */
  static Optional<BinaryPlan> compile(Schema schema, MessageType parquet, String timeField) {
    if (schema.getType() != Schema.Type.RECORD) {
      return Optional.empty();
    }
    Schema.Field time = schema.getField(timeField);
    if (time == null || !isLong(time.schema())) {
      return Optional.empty();
    }
    try {
      RecordNode root = record(schema, parquet);
      return Optional.of(new BinaryPlan(schema, parquet, root, time.pos()));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static boolean isLong(Schema schema) {
    Schema value = nonNull(schema);
    return value != null && value.getType() == Schema.Type.LONG;
  }

  /** The schema itself, or the other branch of a union with null; null for any other union. */
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> types = schema.getTypes();
    if (types.size() != 2) {
      return null;
    }
    int nullBranch = nullBranch(schema);
    return nullBranch < 0 ? null : types.get(1 - nullBranch);
  }

  private static int nullBranch(Schema union) {
    List<Schema> types = union.getTypes();
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).getType() == Schema.Type.NULL) {
        return i;
      }
    }
    return -1;
  }

  private static RecordNode record(Schema schema, GroupType group) {
    List<Schema.Field> fields = schema.getFields();
    Slot[] slots = new Slot[fields.size()];
    int index = 0;
    for (int i = 0; i < fields.size(); i++) {
      Schema fieldSchema = fields.get(i).schema();
      if (fieldSchema.getType() == Schema.Type.NULL) {
        slots[i] = new Slot(null, -1, new BinaryNode.NullNode(), -1);
        continue;
      }
      Type type = group.getType(index);
      if (!type.getName().equals(fields.get(i).name())) {
        throw new UnsupportedOperationException("field " + type.getName());
      }
      slots[i] = slot(type.getName(), index, fieldSchema, type);
      index++;
    }
    if (index != group.getFieldCount()) {
      throw new UnsupportedOperationException("columns of " + schema.getFullName());
    }
    return new RecordNode(slots);
  }

  private static Slot slot(String name, int index, Schema schema, Type type) {
    Schema value = nonNull(schema);
    if (value == null || value.getType() == Schema.Type.NULL) {
      throw new UnsupportedOperationException("union " + schema);
    }
    boolean union = schema.getType() == Schema.Type.UNION;
    if (union != type.isRepetition(Type.Repetition.OPTIONAL)) {
      throw new UnsupportedOperationException("repetition of " + name);
    }
    return new Slot(name, index, node(value, type), union ? nullBranch(schema) : -1);
  }

  private static BinaryNode node(Schema schema, Type type) {
    if (type.isPrimitive()
        && type.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
      throw new UnsupportedOperationException("uuid");
    }
    return switch (schema.getType()) {
      case BOOLEAN -> new BinaryNode.BooleanNode();
      case INT -> new BinaryNode.IntNode();
      case LONG -> new BinaryNode.LongNode();
      case FLOAT -> new BinaryNode.FloatNode();
      case DOUBLE -> new BinaryNode.DoubleNode();
      case STRING -> new BinaryNode.BytesNode("String".equals(schema.getProp("avro.java.string")));
      case BYTES -> new BinaryNode.BytesNode(false);
      case FIXED -> new BinaryNode.FixedNode(schema.getFixedSize());
      case ENUM -> new BinaryNode.EnumNode(schema.getEnumSymbols());
      case RECORD -> record(schema, type.asGroupType());
      case ARRAY -> array(schema, type.asGroupType());
      default -> throw new UnsupportedOperationException(schema.getType().getName());
    };
  }

  private static BinaryNode array(Schema schema, GroupType list) {
    if (list.getFieldCount() != 1 || list.getType(0).isPrimitive()) {
      throw new UnsupportedOperationException("list layout");
    }
    GroupType repeated = list.getType(0).asGroupType();
    if (!repeated.isRepetition(Type.Repetition.REPEATED) || repeated.getFieldCount() != 1) {
      throw new UnsupportedOperationException("list layout");
    }
    Type element = repeated.getType(0);
    Slot item = slot(element.getName(), 0, schema.getElementType(), element);
    return new ArrayNode(repeated.getName(), item);
  }

  /** The writer schema. */
  Schema schema() {
    return schema;
  }

  /** The Parquet schema the rows are written as. */
  MessageType parquet() {
    return parquet;
  }

  /**
   * Checks that the record body at {@code offset} decodes, and returns its event time.
   *
   * @throws RuntimeException when the bytes do not decode or the event time is null
   */
  long scan(byte[] data, int offset) {
    AvroBinaryReader in = new AvroBinaryReader(data, offset, data.length - offset);
    Slot[] fields = root.fields();
    long time = 0;
    for (int i = 0; i < fields.length; i++) {
      if (i == timeField) {
        if (!fields[i].present(in)) {
          throw new IllegalArgumentException("the event time is null");
        }
        time = in.readLong();
      } else {
        fields[i].skip(in);
      }
    }
    return time;
  }

  /** Writes the record body at {@code offset}, which {@link #scan} accepted, as one row. */
  void write(RecordConsumer out, byte[] data, int offset) {
    out.startMessage();
    root.writeFields(new AvroBinaryReader(data, offset, data.length - offset), out);
    out.endMessage();
  }
}
