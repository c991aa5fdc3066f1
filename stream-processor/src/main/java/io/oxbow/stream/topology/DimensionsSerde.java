package io.oxbow.stream.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Dimension values of a view group (nulls allowed) for repartition topics and window stores: a
 * count, then per value a length (-1 for null) and UTF-8 bytes. Deterministic, so equal groups have
 * equal bytes and land in the same partition.
 */
final class DimensionsSerde {
  private DimensionsSerde() {}

  static Serde<List<String>> create() {
    Serializer<List<String>> ser = (topic, dims) -> dims == null ? null : encode(dims);
    Deserializer<List<String>> de = (topic, bytes) -> bytes == null ? null : decode(bytes);
    return Serdes.serdeFrom(ser, de);
  }

  static byte[] encode(List<String> dims) {
    List<byte[]> parts = new ArrayList<>(dims.size());
    int size = 4;
    for (String d : dims) {
      byte[] b = d == null ? null : d.getBytes(StandardCharsets.UTF_8);
      parts.add(b);
      size += 4 + (b == null ? 0 : b.length);
    }
    ByteBuffer out = ByteBuffer.allocate(size).putInt(dims.size());
    for (byte[] b : parts) {
      out.putInt(b == null ? -1 : b.length);
      if (b != null) {
        out.put(b);
      }
    }
    return out.array();
  }

  static List<String> decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int n = in.getInt();
    List<String> dims = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = in.getInt();
      if (len < 0) {
        dims.add(null);
      } else {
        byte[] b = new byte[len];
        in.get(b);
        dims.add(new String(b, StandardCharsets.UTF_8));
      }
    }
    return Collections.unmodifiableList(dims);
  }
}
