package io.oxbow.batch.landing;

/**
 * Reads Avro's binary encoding from a byte array: zig-zag varints, little-endian floats, lengths.
 * Refuses what Avro's own decoder refuses (a varint longer than its type allows, a negative length,
 * a length past the end); reading past the end throws {@link ArrayIndexOutOfBoundsException}.
 */
final class AvroCursor {
  private final byte[] data;
  private int pos;

  AvroCursor(byte[] data, int offset) {
    this.data = data;
    this.pos = offset;
  }

  byte[] data() {
    return data;
  }

  int pos() {
    return pos;
  }

  /** Bytes left after the position. */
  int remaining() {
    return data.length - pos;
  }

  boolean readBoolean() {
    // Avro reads any byte but 1 as false
    return data[pos++] == 1;
  }

  int readInt() {
    int n = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = data[pos++] & 0xff;
      n |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (n >>> 1) ^ -(n & 1);
      }
    }
    throw new IllegalArgumentException("Invalid int encoding");
  }

  long readLong() {
    long n = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      long b = data[pos++] & 0xff;
      n |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (n >>> 1) ^ -(n & 1);
      }
    }
    throw new IllegalArgumentException("Invalid long encoding");
  }

  int readFloatBits() {
    int bits =
        (data[pos] & 0xff)
            | (data[pos + 1] & 0xff) << 8
            | (data[pos + 2] & 0xff) << 16
            | (data[pos + 3] & 0xff) << 24;
    pos += 4;
    return bits;
  }

  long readDoubleBits() {
    long low = readFloatBits() & 0xffffffffL;
    long high = readFloatBits() & 0xffffffffL;
    return low | high << 32;
  }

  /** The length of a string or bytes value; the position is then at its first byte. */
  int readLength() {
    long length = readLong();
    if (length < 0 || length > remaining()) {
      throw new IllegalArgumentException("Malformed data. Length is " + length);
    }
    return (int) length;
  }

  /**
   * The item count of the next block of an array; 0 ends the array. Refuses a count larger than the
   * bytes left, which only zero-size items could satisfy (left to the general decoder).
   */
  long readBlockCount() {
    long count = readLong();
    if (count < 0) {
      count = -count;
      readLong(); // the block's size in bytes
    }
    if (count > remaining()) {
      throw new IllegalArgumentException("array block of " + count + " items past the end");
    }
    return count;
  }

  void skip(int bytes) {
    if (bytes > remaining()) {
      throw new ArrayIndexOutOfBoundsException(pos + bytes);
    }
    pos += bytes;
  }
}
