package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and mutated real lines never make the parser throw, hang or report an internal
 * error; every rejection's column lies within the line. Seeded, so a failure reproduces.
 */
class ParserFuzzTest {

  private static final long SEED = 20_260_525L;

  /** Generous per-line bound: a linear parser needs microseconds; this only catches hangs. */
  private static final long MAX_NANOS_PER_LINE = Duration.ofMillis(250).toNanos();

  private static final List<AccessLogParser> PARSERS =
      List.of(
          AccessLogParser.forFormat(LogFormat.AUTO),
          AccessLogParser.forFormat(LogFormat.COMBINED),
          AccessLogParser.forFormat(LogFormat.NGINX_MAIN),
          AccessLogParser.forFormat(LogFormat.VHOST_COMBINED),
          AccessLogParser.forFormat(
              LogFormat.nginx(
                  "$remote_addr [$time_local] \"$request\" $status $request_time $host")));

  private static final byte[] ALPHABET = " \"\\[]/:-.+x0123456789GETHTP?&=%\t{}".getBytes();

  @Test
  void shouldSurviveRandomBytes() {
    Random rnd = new Random(SEED);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 5_000; i++) {
            byte[] line = new byte[rnd.nextInt(400)];
            if (rnd.nextBoolean()) {
              rnd.nextBytes(line);
            } else {
              for (int k = 0; k < line.length; k++) {
                line[k] = ALPHABET[rnd.nextInt(ALPHABET.length)];
              }
            }
            check(line);
          }
        });
  }

  @Test
  void shouldSurviveMutatedRealLines() {
    Random rnd = new Random(SEED + 1);
    List<byte[]> real = new ArrayList<>(SampleLogs.lines(SampleLogs.ELASTIC).subList(0, 2_000));
    real.addAll(SampleLogs.lines(SampleLogs.CROWDSEC_NGINX));
    real.addAll(SampleLogs.lines(SampleLogs.CROWDSEC_APACHE));
    int[] parsedAfterMutation = {0};
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 20_000; i++) {
            byte[] line = real.get(rnd.nextInt(real.size()));
            int mutations = 1 + rnd.nextInt(4);
            for (int m = 0; m < mutations; m++) {
              line = mutate(line, rnd);
            }
            if (check(line)) {
              parsedAfterMutation[0]++;
            }
          }
        });
    // the mutations must exercise both outcomes, or the test proves little
    assertThat(parsedAfterMutation[0]).isBetween(1_000, 19_000);
  }

  @Test
  void shouldStayLinearOnPathologicalQuotesAndEscapes() {
    String prefix = "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"";
    for (String filler : new String[] {"\"", "\\", "\\\"", "\" ", "\"\\x"}) {
      byte[] line = (prefix + filler.repeat(200_000 / filler.length())).getBytes();
      assertTimeoutPreemptively(Duration.ofSeconds(2), () -> check(line));
    }
  }

  /** Parses with every parser; returns whether AUTO parsed it. */
  private static boolean check(byte[] line) {
    boolean autoParsed = false;
    for (AccessLogParser parser : PARSERS) {
      long start = System.nanoTime();
      ParseResult r = parser.parse(line);
      long took = System.nanoTime() - start;
      // the machine is shared: a slow line is timed again, only a consistently slow one fails
      for (int retry = 0; retry < 3 && took > MAX_NANOS_PER_LINE; retry++) {
        start = System.nanoTime();
        parser.parse(line);
        took = Math.min(took, System.nanoTime() - start);
      }
      if (took > MAX_NANOS_PER_LINE) {
        fail("took " + took + " ns: " + Arrays.toString(line));
      }
      if (r instanceof ParseResult.Rejected rej) {
        boolean columnInLine = rej.column() >= 1 && rej.column() <= line.length + 1;
        if (rej.reason() == RejectReason.INTERNAL_ERROR || !columnInLine) {
          fail(rej + " for " + Arrays.toString(line));
        }
      } else if (r instanceof ParseResult.Parsed p) {
        int status = p.event().getStatus();
        int bytes = p.event().getLineBytes();
        if (status < 0 || status > 999 || bytes < 1 || bytes > line.length) {
          fail(p.event() + " for " + Arrays.toString(line));
        }
        autoParsed |= parser == PARSERS.get(0);
      } else {
        fail("no result for " + Arrays.toString(line));
      }
    }
    return autoParsed;
  }

  private static byte[] mutate(byte[] line, Random rnd) {
    if (line.length == 0) {
      return new byte[] {ALPHABET[rnd.nextInt(ALPHABET.length)]};
    }
    int at = rnd.nextInt(line.length);
    switch (rnd.nextInt(6)) {
      case 0:
        {
          byte[] copy = line.clone();
          copy[at] = (byte) rnd.nextInt(256);
          return copy;
        }
      case 1:
        {
          byte[] copy = line.clone();
          copy[at] = ALPHABET[rnd.nextInt(ALPHABET.length)];
          return copy;
        }
      case 2:
        return Arrays.copyOf(line, at);
      case 3:
        {
          int len = Math.min(line.length - at, 1 + rnd.nextInt(8));
          byte[] out = new byte[line.length - len];
          System.arraycopy(line, 0, out, 0, at);
          System.arraycopy(line, at + len, out, at, line.length - at - len);
          return out;
        }
      case 4:
        {
          byte[] out = new byte[line.length + 1];
          System.arraycopy(line, 0, out, 0, at);
          out[at] = ALPHABET[rnd.nextInt(ALPHABET.length)];
          System.arraycopy(line, at, out, at + 1, line.length - at);
          return out;
        }
      default:
        {
          byte[] out = Arrays.copyOf(line, line.length * 2);
          System.arraycopy(line, 0, out, line.length, line.length);
          return out;
        }
    }
  }
}
