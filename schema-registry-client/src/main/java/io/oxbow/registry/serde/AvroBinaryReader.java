package io.oxbow.registry.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Avro's binary encoding straight from a byte array, for hand-written decoders of one record
 * type and for copying values out without decoding them: zig-zag varints ({@code int}, {@code
 * long}, union branch indexes, enum ordinals, lengths), booleans, the bits of floats and doubles,
 * array block counts, strings (UTF-8, decoded as Avro's {@code BinaryDecoder} decodes them into a
 * {@code String}: malformed bytes become U+FFFD) and bytes, in place or copied. The counterpart of
 * {@link AvroBinaryWriter}.
 *
 * <p>Input that is not valid Avro (a varint longer than its type allows, a negative length, a value
 * running past the end) throws a {@link SerializationException} saying what and where. Not thread
 * safe; one reader per value.
 */
public final class AvroBinaryReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  /** A reader of {@code buf[offset, offset + length)}. */
  public AvroBinaryReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " and length " + length + " of " + buf.length + " bytes");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  /** The position of the next byte to read, in the array. */
  public int position() {
    return pos;
  }

  /** The array read from (not copied), for values taken in place at {@link #position()}. */
  public byte[] array() {
    return buf;
  }

  /** An Avro {@code int} (1 to 5 bytes). */
  public int readInt() {
    int z = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = next();
      z |= (b & 0x7F) << shift;
      if (b < 0x80) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw malformed("an int longer than 5 bytes");
  }

  /** An Avro {@code long} (1 to 10 bytes). */
  public long readLong() {
    long z = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = next();
      z |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw malformed("a long longer than 10 bytes");
  }

  /** An Avro {@code boolean}: one byte, true when it is 1 (any other byte is false, as in Avro). */
  public boolean readBoolean() {
    return next() == 1;
  }

  /** The branch of a union, from 0. */
  public int readUnionIndex() {
    return readInt();
  }

  /** An Avro {@code string}. */
  public String readString() {
    int length = readLength();
    String value = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return value;
  }

  /** An Avro {@code bytes}, copied. */
  public byte[] readBytes() {
    int length = readLength();
    byte[] value = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return value;
  }

  /** The raw bits of an Avro {@code float} (4 bytes, little-endian). */
  public int readFloatBits() {
    require(4);
    int bits =
        (buf[pos] & 0xFF)
            | (buf[pos + 1] & 0xFF) << 8
            | (buf[pos + 2] & 0xFF) << 16
            | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return bits;
  }

  /** The raw bits of an Avro {@code double} (8 bytes, little-endian). */
  public long readDoubleBits() {
    long low = readFloatBits() & 0xFFFFFFFFL;
    long high = readFloatBits() & 0xFFFFFFFFL;
    return low | high << 32;
  }

  /**
   * The item count of the next block of an array or map, 0 at its end; a negative count's block
   * size is read and dropped. Refuses a count larger than the bytes left, which only items of zero
   * bytes could satisfy.
   */
  public long readBlockCount() {
    long count = readLong();
    if (count < 0) {
      count = -count;
      readLong(); // the block's size in bytes
    }
    if (count > end - pos) {
      throw malformed("a block of " + count + " items with " + (end - pos) + " bytes left");
    }
    return count;
  }

  /** Moves past {@code bytes} bytes (a fixed value, or a string or bytes after its length). */
  public void skip(int bytes) {
    require(bytes);
    pos += bytes;
  }

  /**
   * The length of a string or bytes value, checked against the bytes left; the position is then at
   * its first byte.
   */
  public int readLength() {
    long length = readLong();
    if (length < 0) {
      throw malformed("a negative length, " + length);
    }
    if (length > end - pos) {
      throw malformed("a length of " + length + " bytes with " + (end - pos) + " left");
    }
    return (int) length;
  }

  private void require(int bytes) {
    if (bytes > end - pos) {
      throw malformed(bytes + " bytes wanted with " + (end - pos) + " left");
    }
  }

  private int next() {
    if (pos >= end) {
      throw malformed("the end of the value before its last field");
    }
    return buf[pos++] & 0xFF;
  }

  private SerializationException malformed(String what) {
    return new SerializationException("malformed Avro at byte " + pos + ": " + what);
  }
}
