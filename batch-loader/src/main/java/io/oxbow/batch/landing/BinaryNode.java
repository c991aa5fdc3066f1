package io.oxbow.batch.landing;

import io.oxbow.registry.serde.AvroBinaryReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * How a {@link BinaryPlan} reads one Avro value from the binary encoding: {@link #skip} checks it
 * and steps over it, {@link #write} hands it to Parquet as parquet-avro's writer does with the
 * decoded value (strings as the UTF-8 bytes a decoded record holds, enums as their symbol, logical
 * types as their underlying type, since the lake's data model has no conversions).
 */
abstract class BinaryNode {
  /**
   * Checks the value at the reader's position and moves past it; throws when it does not decode.
   */
  abstract void skip(AvroBinaryReader in);

  /** Writes the (checked) value at the reader's position and moves past it. */
  abstract void write(AvroBinaryReader in, RecordConsumer out);

  static final class BooleanNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {
      in.readBoolean();
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addBoolean(in.readBoolean());
    }
  }

  static final class IntNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {
      in.readInt();
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addInteger(in.readInt());
    }
  }

  static final class LongNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {
      in.readLong();
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addLong(in.readLong());
    }
  }

  static final class FloatNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {
      in.readFloatBits();
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addFloat(Float.intBitsToFloat(in.readFloatBits()));
    }
  }

  static final class DoubleNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {
      in.readDoubleBits();
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addDouble(Double.longBitsToDouble(in.readDoubleBits()));
    }
  }

  /**
   * A string or bytes value. A string decoded as a Java {@code String} (the schema's {@code
   * avro.java.string} is {@code String}) has any malformed UTF-8 replaced by U+FFFD, so such a
   * string that is not ASCII is decoded and encoded again, as the general path does.
   */
  static final class BytesNode extends BinaryNode {
    private final boolean javaString;

    BytesNode(boolean javaString) {
      this.javaString = javaString;
    }

    @Override
    void skip(AvroBinaryReader in) {
      in.skip(in.readLength());
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      int length = in.readLength();
      int start = in.position();
      byte[] data = in.array();
      in.skip(length);
      if (javaString && !ascii(data, start, length)) {
        String decoded = new String(data, start, length, StandardCharsets.UTF_8);
        out.addBinary(Binary.fromConstantByteArray(decoded.getBytes(StandardCharsets.UTF_8)));
      } else {
        out.addBinary(Binary.fromReusedByteArray(data, start, length));
      }
    }

    private static boolean ascii(byte[] data, int start, int length) {
      for (int i = start; i < start + length; i++) {
        if (data[i] < 0) {
          return false;
        }
      }
      return true;
    }
  }

  static final class FixedNode extends BinaryNode {
    private final int size;

    FixedNode(int size) {
      this.size = size;
    }

    @Override
    void skip(AvroBinaryReader in) {
      in.skip(size);
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      int start = in.position();
      in.skip(size);
      out.addBinary(Binary.fromReusedByteArray(in.array(), start, size));
    }
  }

  static final class EnumNode extends BinaryNode {
    private final Binary[] symbols;

    EnumNode(List<String> symbols) {
      this.symbols =
          symbols.stream()
              .map(s -> Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8)))
              .toArray(Binary[]::new);
    }

    private int index(AvroBinaryReader in) {
      int index = in.readInt();
      if (index < 0 || index >= symbols.length) {
        throw new IllegalArgumentException("enum index " + index + " out of range");
      }
      return index;
    }

    @Override
    void skip(AvroBinaryReader in) {
      index(in);
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.addBinary(symbols[index(in)]);
    }
  }

  /**
   * A value that is either present or null: a field or array item of a union of {@code null} and
   * one other type (Parquet: optional), or of a plain type (Parquet: required).
   */
  static final class Slot {
    final String name;
    final int index;
    final BinaryNode node;
    final int nullBranch;

    /**
     * @param nullBranch the union branch of {@code null} (0 or 1), or -1 when not a union
     */
    Slot(String name, int index, BinaryNode node, int nullBranch) {
      this.name = name;
      this.index = index;
      this.node = node;
      this.nullBranch = nullBranch;
    }

    /** Reads the union branch, if any: true when the value is present. */
    boolean present(AvroBinaryReader in) {
      if (nullBranch < 0) {
        return true;
      }
      int branch = in.readInt();
      if (branch != 0 && branch != 1) {
        throw new IllegalArgumentException("union branch " + branch + " out of range");
      }
      return branch != nullBranch;
    }

    void skip(AvroBinaryReader in) {
      if (present(in)) {
        node.skip(in);
      }
    }

    /** Writes the value as field {@code name} at {@code index}, nothing when it is null. */
    void write(AvroBinaryReader in, RecordConsumer out) {
      if (node instanceof NullNode) {
        return; // a field of type null has no column
      }
      if (present(in)) {
        out.startField(name, index);
        node.write(in, out);
        out.endField(name, index);
      }
    }
  }

  /** A nested record: a Parquet group of its fields. */
  static final class RecordNode extends BinaryNode {
    private final Slot[] fields;

    RecordNode(Slot[] fields) {
      this.fields = fields;
    }

    Slot[] fields() {
      return fields;
    }

    @Override
    void skip(AvroBinaryReader in) {
      for (Slot field : fields) {
        field.skip(in);
      }
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.startGroup();
      writeFields(in, out);
      out.endGroup();
    }

    void writeFields(AvroBinaryReader in, RecordConsumer out) {
      for (Slot field : fields) {
        field.write(in, out);
      }
    }
  }

  /**
   * An array: Parquet's three-level list, the repeated group holding each item (absent for a null
   * item) and written only when the array has items.
   */
  static final class ArrayNode extends BinaryNode {
    private final String repeated;
    private final Slot item;

    ArrayNode(String repeated, Slot item) {
      this.repeated = repeated;
      this.item = item;
    }

    @Override
    void skip(AvroBinaryReader in) {
      for (long count = in.readBlockCount(); count != 0; count = in.readBlockCount()) {
        for (long i = 0; i < count; i++) {
          item.skip(in);
        }
      }
    }

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {
      out.startGroup();
      long count = in.readBlockCount();
      if (count != 0) {
        out.startField(repeated, 0);
        for (; count != 0; count = in.readBlockCount()) {
          for (long i = 0; i < count; i++) {
            out.startGroup();
            item.write(in, out);
            out.endGroup();
          }
        }
        out.endField(repeated, 0);
      }
      out.endGroup();
    }
  }

  /** A field of type {@code null}: nothing in the encoding, no Parquet column. */
  static final class NullNode extends BinaryNode {
    @Override
    void skip(AvroBinaryReader in) {}

    @Override
    void write(AvroBinaryReader in, RecordConsumer out) {}
  }
}
