package io.oxbow.stream.topology;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What order attribution keeps of one page view: its time, path, referrer and country. The
 * page-view store and its changelog hold this instead of the whole enriched event, in a compact
 * binary form ({@link #serde()}).
 *
 * @param eventTime event time, epoch millis
 * @param path request path (the landing page when this view is a client's first)
 * @param referrer Referer header as written, or null
 * @param country the client's country as enriched, or null
 */
public record PageView(long eventTime, String path, String referrer, String country) {
  /** First byte of every encoded view: the layout's version. */
  static final byte VERSION = 1;

  /**
   * Version byte, event time (8 bytes), then path, referrer and country, each as a presence byte
   * and modified UTF-8 ({@link DataOutputStream#writeUTF}; values longer than 65,535 bytes are cut
   * to a prefix that fits).
   */
  static Serde<PageView> serde() {
    return Serdes.serdeFrom(
        (topic, view) -> view == null ? null : encode(view),
        (topic, bytes) -> bytes == null ? null : decode(topic, bytes));
  }

  static byte[] encode(PageView view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(view.eventTime);
      writeNullable(out, view.path);
      writeNullable(out, view.referrer);
      writeNullable(out, view.country);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static PageView decode(String topic, byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new SerializationException(
            topic + ": page view of layout version " + version + ", expected " + VERSION);
      }
      return new PageView(in.readLong(), readNullable(in), readNullable(in), readNullable(in));
    } catch (IOException e) {
      throw new SerializationException(topic + ": page view does not decode: " + e, e);
    }
  }

  private static void writeNullable(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(fitting(value));
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** The longest prefix whose modified UTF-8 form fits writeUTF's 65,535 bytes. */
  private static String fitting(String value) {
    if (value.length() <= 65_535 / 3) {
      return value;
    }
    int bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      bytes += (c >= 0x0001 && c <= 0x007F) ? 1 : c <= 0x07FF ? 2 : 3;
      if (bytes > 65_535) {
        return value.substring(0, i);
      }
    }
    return value;
  }
}
