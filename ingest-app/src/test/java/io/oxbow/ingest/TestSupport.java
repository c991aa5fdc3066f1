package io.oxbow.ingest;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Test helpers shared with the agent's tests in another package. */
public final class TestSupport {
  private TestSupport() {}

  /** Plain Avro binary, no registry. */
  public static <T extends SpecificRecord> Serializer<T> avroSerializer() {
    return AvroBytes.serializer();
  }

  /** Reads what {@link #avroSerializer()} wrote. */
  public static <T extends SpecificRecord> T avroRead(byte[] bytes, Class<T> type) {
    return AvroBytes.read(bytes, type);
  }

  /** Every committed record of a topic. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    return TopicReader.readAll(bootstrap, topic);
  }
}
