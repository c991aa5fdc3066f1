package io.oxbow.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.User;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The test vectors of the registry spec, section 1, byte for byte, and their decoding. */
class WireFormatVectorsTest {
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "unused://");
  private static final Schema USER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
                  + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"},"
                  + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
  private static final Schema EVENT =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                  + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                  + "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\",\"symbols\":[\"A\",\"B\"]}},"
                  + "{\"name\":\"amount\",\"type\":\"double\"}]}");

  private static String hex(int id, Object value) {
    AvroSerializer serializer = new AvroSerializer(new FixedIdClient(id), CONFIG, false);
    byte[] bytes = serializer.serialize("t", value);
    return bytes == null ? null : HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
  }

  private static Object roundTrip(int id, Object value) {
    FixedIdClient client = new FixedIdClient(id);
    byte[] bytes = new AvroSerializer(client, CONFIG, false).serialize("t", value);
    AvroDeserializer deserializer = new AvroDeserializer(client);
    deserializer.configure(CONFIG, false);
    return deserializer.deserialize("t", bytes);
  }

  @Test
  @DisplayName("1. int 42, id 1")
  void intVector() {
    assertThat(hex(1, 42)).isEqualTo("00 00 00 00 01 54");
    assertThat(roundTrip(1, 42)).isEqualTo(42);
  }

  @Test
  @DisplayName("2. long -1, id 258")
  void longVector() {
    assertThat(hex(258, -1L)).isEqualTo("00 00 00 01 02 01");
    assertThat(roundTrip(258, -1L)).isEqualTo(-1L);
  }

  @Test
  @DisplayName("3. strings, ids 1 and 100001, decoded as java.lang.String")
  void stringVectors() {
    assertThat(hex(1, "hello")).isEqualTo("00 00 00 00 01 0A 68 65 6C 6C 6F");
    assertThat(hex(100001, "")).isEqualTo("00 00 01 86 A1 00");
    assertThat(roundTrip(1, "hello")).isInstanceOf(String.class).isEqualTo("hello");
  }

  @Test
  @DisplayName("4. generic record com.example.User, email null and set")
  void genericRecordVectors() {
    GenericRecord ann = new GenericData.Record(USER);
    ann.put("id", 1L);
    ann.put("name", "Ann");
    ann.put("email", null);
    assertThat(hex(1, ann)).isEqualTo("00 00 00 00 01 02 06 41 6E 6E 00");
    ann.put("email", "a@b.c");
    assertThat(hex(1, ann)).isEqualTo("00 00 00 00 01 02 06 41 6E 6E 02 0A 61 40 62 2E 63");
    GenericRecord back = (GenericRecord) roundTrip(1, ann);
    assertThat(back.get("email").toString()).isEqualTo("a@b.c");
  }

  @Test
  @DisplayName("4. specific record com.example.User gives the same bytes as the generic one")
  void specificRecordVector() {
    User ann = User.newBuilder().setId(1L).setName("Ann").setEmail("a@b.c").build();
    assertThat(hex(1, ann)).isEqualTo("00 00 00 00 01 02 06 41 6E 6E 02 0A 61 40 62 2E 63");
  }

  @Test
  @DisplayName("5. record Event with timestamp-millis, enum and double, id 7")
  void eventVector() {
    GenericRecord event = new GenericData.Record(EVENT);
    event.put("ts", 1700000000000L);
    event.put("kind", new GenericData.EnumSymbol(EVENT.getField("kind").schema(), "B"));
    event.put("amount", 1.5);
    assertThat(hex(7, event))
        .isEqualTo("00 00 00 00 07 80 A0 AB FE F9 62 02 00 00 00 00 00 00 F8 3F");
    GenericRecord back = (GenericRecord) roundTrip(7, event);
    assertThat(back.get("ts")).isEqualTo(1700000000000L);
    assertThat(back.get("kind").toString()).isEqualTo("B");
  }

  @Test
  @DisplayName("6. bytes are written raw, without the Avro length prefix")
  void bytesVector() {
    byte[] deadbeef = HexFormat.of().parseHex("DEADBEEF");
    assertThat(hex(7, deadbeef)).isEqualTo("00 00 00 00 07 DE AD BE EF");
    assertThat(hex(7, java.nio.ByteBuffer.wrap(deadbeef))).isEqualTo("00 00 00 00 07 DE AD BE EF");
    assertThat((byte[]) roundTrip(7, deadbeef)).containsExactly(deadbeef);
  }

  @Test
  @DisplayName("7. null is a Kafka null both ways, without a registry call")
  void nullVector() {
    AvroSerializer serializer = new AvroSerializer(new FixedIdClient(1), CONFIG, false);
    assertThat(serializer.serialize("t", null)).isNull();
    AvroDeserializer deserializer = new AvroDeserializer(new FixedIdClient(1));
    deserializer.configure(CONFIG, false);
    assertThat(deserializer.deserialize("t", (byte[]) null)).isNull();
  }

  @Test
  @DisplayName("8. magic byte 1, short records and unknown ids name the topic")
  void badInput() {
    AvroDeserializer deserializer = new AvroDeserializer(new FixedIdClient(1));
    deserializer.configure(CONFIG, false);
    assertThatThrownBy(
            () -> deserializer.deserialize("orders", HexFormat.of().parseHex("010000000154")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic orders")
        .hasMessageContaining("magic byte 1");
    assertThatThrownBy(
            () -> deserializer.deserialize("orders", HexFormat.of().parseHex("00000000")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic orders")
        .hasMessageContaining("4 bytes");
    assertThatThrownBy(
            () -> deserializer.deserialize("orders", HexFormat.of().parseHex("000000000954")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic orders")
        .hasMessageContaining("schema id 9");
  }
}
