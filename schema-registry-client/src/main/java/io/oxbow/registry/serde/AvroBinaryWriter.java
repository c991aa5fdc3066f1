package io.oxbow.registry.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes Avro's binary encoding directly, for hand-written encoders of
 * one record type: zig-zag varints ({@code int}, {@code long}, union branch indexes, enum ordinals,
 * lengths and block counts), booleans as one byte, strings as their UTF-8 length and bytes, and the
 * Confluent wire-format header. Each method produces the bytes Avro's own {@code BinaryEncoder}
 * produces for the same value (strings are encoded as {@code String.getBytes(UTF_8)} encodes them,
 * a lone surrogate as {@code '?'}).
 *
 * <p>Not thread safe: one writer per thread, {@link #reset()} between records. The buffer starts at
 * the given capacity and doubles as needed; {@link #toByteArray()} copies out what was written.
 */
public final class AvroBinaryWriter {
  private byte[] buf;
  private int pos;

  /** A writer whose buffer starts at {@code initialCapacity} bytes (at least 16). */
  public AvroBinaryWriter(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets what was written; the buffer is kept. */
  public void reset() {
    pos = 0;
  }

  /** Bytes written since the last {@link #reset()}. */
  public int size() {
    return pos;
  }

  /** The bytes buffered now (its length may exceed {@link #size()}). */
  public int capacity() {
    return buf.length;
  }

  /** A copy of the bytes written since the last {@link #reset()}. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** The wire format's magic byte and the 4-byte big-endian schema id ({@link WireFormat}). */
  public void writeWireHeader(int schemaId) {
    ensure(WireFormat.HEADER_SIZE);
    byte[] b = buf;
    int p = pos;
    b[p] = WireFormat.MAGIC;
    b[p + 1] = (byte) (schemaId >>> 24);
    b[p + 2] = (byte) (schemaId >>> 16);
    b[p + 3] = (byte) (schemaId >>> 8);
    b[p + 4] = (byte) schemaId;
    pos = p + WireFormat.HEADER_SIZE;
  }

  /** An Avro {@code boolean}: one byte, 1 or 0. */
  public void writeBoolean(boolean value) {
    ensure(1);
    buf[pos++] = value ? (byte) 1 : (byte) 0;
  }

  /** An Avro {@code int}: zig-zag, then 7 bits a byte, low bits first (1 to 5 bytes). */
  public void writeInt(int value) {
    ensure(5);
    int z = (value << 1) ^ (value >> 31);
    byte[] b = buf;
    int p = pos;
    while ((z & ~0x7F) != 0) {
      b[p++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    b[p++] = (byte) z;
    pos = p;
  }

  /** An Avro {@code long}: zig-zag, then 7 bits a byte, low bits first (1 to 10 bytes). */
  public void writeLong(long value) {
    ensure(10);
    long z = (value << 1) ^ (value >> 63);
    byte[] b = buf;
    int p = pos;
    while ((z & ~0x7FL) != 0) {
      b[p++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    b[p++] = (byte) z;
    pos = p;
  }

  /** The branch of a union a value takes, from 0 in the order the schema lists them. */
  public void writeUnionIndex(int branch) {
    writeInt(branch);
  }

  /** An enum symbol, by its position in the schema's symbols. */
  public void writeEnum(int ordinal) {
    writeInt(ordinal);
  }

  /**
   * An Avro {@code string}: its UTF-8 byte length as a {@code long}, then the bytes. ASCII text is
   * copied character by character; other text is encoded with {@code String.getBytes(UTF_8)}, as
   * Avro does.
   */
  public void writeString(String value) {
    int length = value.length();
    if (length < 64) {
      // one length byte: the length of ASCII text is its number of chars
      ensure(1 + length);
      byte[] b = buf;
      int p = pos;
      b[p] = (byte) (length << 1);
      if (copyAscii(value, length, b, p + 1)) {
        pos = p + 1 + length;
        return;
      }
    } else {
      ensure(10 + length);
      int start = pos;
      writeLong(length);
      if (copyAscii(value, length, buf, pos)) {
        pos += length;
        return;
      }
      pos = start;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeLong(utf8.length);
    writeFixed(utf8, 0, utf8.length);
  }

  /** Copies {@code value}'s chars as bytes; false (and a partial copy) when one is not ASCII. */
  private static boolean copyAscii(String value, int length, byte[] b, int at) {
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      b[at + i] = (byte) c;
    }
    return true;
  }

  /** An Avro {@code bytes}: the length as a {@code long}, then the bytes. */
  public void writeBytes(byte[] value, int offset, int length) {
    writeLong(length);
    writeFixed(value, offset, length);
  }

  /** Bytes as they are, without a length (Avro {@code fixed}, or a raw payload). */
  public void writeFixed(byte[] value, int offset, int length) {
    ensure(length);
    System.arraycopy(value, offset, buf, pos, length);
    pos += length;
  }

  /**
   * The start of an array or map block of {@code count} items; nothing for an empty one. Write the
   * items, then {@link #writeBlocksEnd()}.
   */
  public void writeBlockCount(long count) {
    if (count > 0) {
      writeLong(count);
    }
  }

  /** The end of an array or map: a block of zero items. */
  public void writeBlocksEnd() {
    ensure(1);
    buf[pos++] = 0;
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      long wanted = Math.max((long) buf.length * 2, (long) pos + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("an Avro value of more than 2 GB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}
