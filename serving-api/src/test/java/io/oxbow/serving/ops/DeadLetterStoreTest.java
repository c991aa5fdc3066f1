package io.oxbow.serving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.contracts.deadletter.DeadLetterStage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterStoreTest {
  @Test
  void shouldShowControlCharactersAndInvalidBytesAsText() {
    byte[] raw = {'a', '\t', 0x07, (byte) 0xc3, '\n', 'b'};

    assertThat(DeadLetterStore.displayable(raw)).isEqualTo("a\t\\x07\uFFFD\\x0Ab");
  }

  @Test
  void shouldShowEveryFieldOfTheDeadLetterContract() {
    Instant at = Instant.parse("2026-12-05T07:00:00Z");
    Headers headers =
        DeadLetterHeaders.of(
            io.oxbow.contracts.deadletter.DeadLetter.of(
                DeadLetterStage.LAND,
                DeadLetterReason.UNDECODABLE,
                new IllegalStateException("access-logs.enriched-1@25: unknown magic byte"),
                "access-logs.enriched",
                1,
                25,
                at));
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            "dlq",
            0,
            3,
            0L,
            TimestampType.CREATE_TIME,
            0,
            4,
            null,
            "junk".getBytes(StandardCharsets.UTF_8),
            headers,
            Optional.empty());

    DeadLetter letter = DeadLetterStore.toLetter(record);

    assertThat(letter)
        .isEqualTo(
            new DeadLetter(
                "dlq",
                0,
                3,
                "2026-12-05T07:00:00Z",
                "land",
                "UNDECODABLE",
                IllegalStateException.class.getName(),
                "access-logs.enriched-1@25: unknown magic byte",
                "access-logs.enriched",
                "1",
                "25",
                "junk",
                4,
                false));
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
