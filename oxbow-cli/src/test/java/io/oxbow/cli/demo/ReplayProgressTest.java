package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong();

  private String[] lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
  }

  private void after(Duration elapsed) {
    now.addAndGet(elapsed.toNanos());
  }

  @Test
  void shouldPrintALineAtEachTenthAndWhileSlowAtLeastEveryThirtySeconds() {
    ReplayProgress progress = new ReplayProgress(out, false, now::get);

    progress.update(10, 10_000, T); // 0%: the first line
    after(Duration.ofSeconds(10));
    progress.update(20, 10_000, T.plusSeconds(600)); // 10 s later, same tenth: quiet
    after(Duration.ofSeconds(21));
    progress.update(30, 10_000, T.plusSeconds(1_200)); // 31 s after the last line: printed
    after(Duration.ofSeconds(1));
    progress.update(1_000, 10_000, T.plusSeconds(1_800)); // a new tenth: printed at once
    after(Duration.ofSeconds(1));
    progress.update(1_100, 10_000, T.plusSeconds(1_900)); // same tenth, 1 s later: quiet
    progress.update(10_000, 10_000, T.plusSeconds(9_000));
    progress.done();

    assertThat(lines())
        .containsExactly(
            "replay: 0% (10/10000 lines, event time 2026-12-05T10:00:00Z)",
            "replay: 0% (30/10000 lines, event time 2026-12-05T10:20:00Z)",
            "replay: 10% (1000/10000 lines, event time 2026-12-05T10:30:00Z)",
            "replay: 100% (10000/10000 lines, event time 2026-12-05T12:30:00Z)",
            "replay: done");
  }

  @Test
  void shouldRedrawOneBarInPlaceOnATerminal() {
    ReplayProgress progress = new ReplayProgress(out, true, now::get);

    progress.update(5, 10, T);
    progress.update(10, 10, T);
    progress.done();

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("\rreplay: [" + "#".repeat(15) + " ".repeat(15) + "]  50%  5/10 lines")
        .contains("\rreplay: [" + "#".repeat(30) + "] 100%  10/10 lines")
        .endsWith("replay: done" + System.lineSeparator());
  }
}
