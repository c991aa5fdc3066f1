package io.oxbow.batch.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LandedFileTest {

  @Test
  void shouldNameFilesByDatasetEventHourTopicPartitionAndOffsets() {
    long hour = Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();
    LandedFile file =
        new LandedFile("access_logs_enriched", "access-logs.enriched", 2, 0, 99, hour);

    assertThat(file.key())
        .isEqualTo(
            "access_logs_enriched/dt=2015-05-17/hour=10/access-logs.enriched+2+0-99.parquet");
    assertThat(LandedFile.parse(file.key())).contains(file);
    assertThat(file.offsetCount()).isEqualTo(100);
  }

  @Test
  void shouldIgnoreKeysOutsideTheLayout() {
    assertThat(LandedFile.parse("access_logs_enriched/_manifest/access-logs.enriched+0.json"))
        .isEmpty();
    assertThat(LandedFile.parse("views/traffic/dt=2015-05-17/hour=10/v1.parquet")).isEmpty();
  }

  @Test
  void shouldPutAnEventInItsUtcHour() {
    long t = Instant.parse("2015-05-17T10:59:59.999Z").toEpochMilli();
    assertThat(LandedFile.hourOf(t))
        .isEqualTo(Instant.parse("2015-05-17T10:00:00Z").toEpochMilli());
    assertThat(LandedFile.hourOf(-1)).isEqualTo(-LandedFile.HOUR_MS);
  }

  @Test
  void shouldDeriveDatasetFoldersFromTopicNames() {
    assertThat(DatasetSpec.parse("access-logs.enriched:event_time").dataset())
        .isEqualTo("access_logs_enriched");
    assertThat(DatasetSpec.parse("orders.attributed:event_time").timeField())
        .isEqualTo("event_time");
  }
}
