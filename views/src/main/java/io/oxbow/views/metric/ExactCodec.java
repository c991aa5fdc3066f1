package io.oxbow.views.metric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Binary encoding shared by the exact metrics: a format byte, then fixed big-endian fields. */
final class ExactCodec {
  static final byte FORMAT = 1;

  private ExactCodec() {}

  static ByteBuffer open(byte[] bytes, int minLength) {
    if (bytes.length < minLength || bytes[0] != FORMAT) {
      throw new IllegalArgumentException(
          "not an exact metric state of format "
              + FORMAT
              + " ("
              + bytes.length
              + " bytes, first "
              + (bytes.length == 0 ? "none" : bytes[0])
              + ")");
    }
    return ByteBuffer.wrap(bytes, 1, bytes.length - 1);
  }

  /** Format byte, 4-byte scale, unscaled two's complement big-endian. */
  static byte[] decimal(BigDecimal value) {
    byte[] unscaled = value.unscaledValue().toByteArray();
    return ByteBuffer.allocate(5 + unscaled.length)
        .put(FORMAT)
        .putInt(value.scale())
        .put(unscaled)
        .array();
  }

  static BigDecimal readDecimal(byte[] bytes) {
    ByteBuffer buffer = open(bytes, 6);
    int scale = buffer.getInt();
    return new BigDecimal(new BigInteger(Arrays.copyOfRange(bytes, 5, bytes.length)), scale);
  }

  static <T extends MetricState> T as(MetricState other, Class<T> type) {
    if (!type.isInstance(other)) {
      throw new IllegalArgumentException(
          "cannot merge a " + other.getClass().getSimpleName() + " into a " + type.getSimpleName());
    }
    return type.cast(other);
  }
}
