package io.oxbow.serving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterStoreTest {
  @Test
  void shouldShowControlCharactersAndInvalidBytesAsText() {
    byte[] raw = {'a', '\t', 0x07, (byte) 0xc3, '\n', 'b'};

    assertThat(DeadLetterStore.displayable(raw)).isEqualTo("a\t\\x07\uFFFD\\x0Ab");
  }

  @Test
  void shouldCutLongLinesAndSayHowLongTheyWere() {
    byte[] raw = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("dlq", 0, 7, null, raw);

    DeadLetter letter = DeadLetterStore.toLetter(record);

    assertThat(letter.raw()).hasSize(4096);
    assertThat(letter.truncated()).isTrue();
    assertThat(letter.rawBytes()).isEqualTo(10_000);
    assertThat(letter.reason()).isNull();
    assertThat(letter.offset()).isEqualTo(7);
  }
}
