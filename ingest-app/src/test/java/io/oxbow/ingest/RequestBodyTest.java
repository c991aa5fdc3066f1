package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.http.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  private static final long MAX = 1024 * 1024;

  @Test
  void shouldReadTheBodyAndHoldTwiceItsSizeUntilClosed() throws IOException {
    InflightBudget budget = new InflightBudget(4 * MAX);
    byte[] bytes = "a line\n".repeat(1000).getBytes();
    try (RequestBody body = read(new ByteArrayInputStream(bytes), null, bytes.length, budget)) {
      assertThat(body.bytes()).isEqualTo(bytes);
      assertThat(budget.used()).isEqualTo(2L * bytes.length);
    }
    assertThat(budget.used()).isZero();
  }

  @Test
  void shouldRefuseABodyPastTheInflightBudgetWith503AndGiveItsReservationBack() {
    InflightBudget budget = new InflightBudget(MAX);
    assertThat(budget.tryReserve(MAX - 200_000)).isTrue();

    assertThatThrownBy(
            () -> read(new ByteArrayInputStream(new byte[300_000]), null, 300_000, budget))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.getMessage()).contains("in-flight memory limit");
            });
    assertThat(budget.used()).isEqualTo(MAX - 200_000);
  }

  @Test
  void shouldRefuseABodyThatInflatesPastTheLimitWith413() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(new byte[(int) (2 * MAX)]);
    }
    InflightBudget budget = new InflightBudget(8 * MAX);
    byte[] bytes = zipped.toByteArray();

    assertThatThrownBy(() -> read(new ByteArrayInputStream(bytes), "gzip", bytes.length, budget))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.getMessage()).contains("after decompression");
            });
    assertThat(budget.used()).isZero();
  }

  @Test
  void shouldRefuseADeclaredLengthOverTheLimitBeforeReadingIt() {
    InflightBudget budget = new InflightBudget(8 * MAX);
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[(int) (3 * MAX)]);

    assertThatThrownBy(() -> read(in, null, 3 * MAX, budget))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    assertThat(in.available()).isEqualTo((int) (3 * MAX));
    assertThat(budget.peak()).isZero();
  }

  @Test
  void shouldRefuseAnUnknownEncodingWith415() {
    InflightBudget budget = new InflightBudget(MAX);
    assertThatThrownBy(() -> read(new ByteArrayInputStream(new byte[1]), "br", 1, budget))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
  }

  private static RequestBody read(
      ByteArrayInputStream in, String encoding, long length, InflightBudget budget)
      throws IOException {
    return RequestBody.read(in, encoding, length, MAX, budget, 1, BodyMeter.NONE);
  }

  @Test
  void shouldReservePerLineAsTheBodyIsReadAndStopAtTheLineLimit() throws IOException {
    LogRecords logs =
        new LogRecords(
            "t",
            (topic, value) -> new byte[0],
            1024,
            new IngestLimits(1000, 1, 1, 256, 256, 100, 1),
            java.time.Clock.systemUTC());
    InflightBudget budget = new InflightBudget(64L * 1024 * 1024);
    byte[] lines = "a\n".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (RequestBody body =
        RequestBody.read(
            new ByteArrayInputStream(lines),
            null,
            lines.length,
            MAX,
            budget,
            1,
            logs.meter("text/plain", "web"))) {
      assertThat(budget.used())
          .isEqualTo(2L * lines.length + 1000L * (LogRecords.BYTES_PER_LINE + 3));
      assertThat(body.reservedBeyondTwiceTheBody())
          .isEqualTo(1000L * (LogRecords.BYTES_PER_LINE + 3));
    }
    byte[] more = "a\n".repeat(1001).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                RequestBody.read(
                    new ByteArrayInputStream(more),
                    null,
                    more.length,
                    MAX,
                    budget,
                    1,
                    logs.meter("text/plain", "web")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("ingest.max-lines"));
    assertThat(budget.used()).isZero();
  }
}
