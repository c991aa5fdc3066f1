package io.oxbow.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentAndStateTest {
  @TempDir Path dir;

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadAGzipFileFromAnyOffsetLikeThePlainOne() throws Exception {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      content.append("line ").append(i).append('\n');
    }
    byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    Path plain = Files.write(dir.resolve("a.log.1"), bytes);
    Path gz = dir.resolve("a.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(bytes);
    }
    try (Segment p = Segment.open(plain);
        Segment g = Segment.open(gz)) {
      assertThat(g.compressed()).isTrue();
      // forward in overlapping steps (as the tailer reads), then back to the start
      for (long at : new long[] {0, 100, 4000, 4050, 30000, 10, bytes.length - 5}) {
        assertThat(text(g.read(at, 777))).isEqualTo(text(p.read(at, 777)));
      }
      assertThat(g.read(bytes.length, 10)).isEmpty();
      assertThat(Fingerprint.of(g, 1024)).isEqualTo(Fingerprint.of(p, 1024));
      assertThat(Fingerprint.of(p, bytes.length + 1)).isNull();
    }
  }

  @Test
  void shouldKeepStateAcrossLoadsAndItsIdForever() throws Exception {
    Path file = dir.resolve("state").resolve("agent.state");
    AgentState first = AgentState.load(file);
    FileState state = FileState.fresh(3, "(dev=1,ino=2)").withPending(120, "ab", 120);
    first.put("/var/log/a.log", state);

    AgentState second = AgentState.load(file);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.get("/var/log/a.log")).contains(state);
    assertThat(second.get("/var/log/a.log").orElseThrow().hasPending()).isTrue();
    assertThat(state.committed().offset()).isEqualTo(120);
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }
}
