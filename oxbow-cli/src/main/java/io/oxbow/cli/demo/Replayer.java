package io.oxbow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.ingest.client.IngestClient;
import io.oxbow.ingest.client.IngestTarget;
import io.oxbow.ingest.client.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays access logs through the ingest API as the agent would, with event times moved to now and
 * a speed factor, and posts the orders that {@link OrderRule} derives from them.
 *
 * <p>Batches are deterministic (consecutive lines of one file in the same one-second slot of the
 * replay, at most 500), each sent with an Idempotency-Key naming its file and first line, and the
 * checkpoint ({@link ReplayState}) is written after the ingest app acknowledged a batch and its
 * orders. A replay that was stopped resumes from the checkpoint with the same plan, and a batch
 * that was acknowledged but not yet checkpointed is written once. Requests go through {@link
 * IngestClient} with its default retry policy (docs/ingest.md): a request the app refuses, or one
 * still unacknowledged after the policy's attempts, stops the replay with the app's error.
 */
public final class Replayer {
  private static final Logger log = LoggerFactory.getLogger(Replayer.class);
  private static final int MAX_BATCH = 500;

  /** Told after every acknowledged batch. */
  public interface Progress {
    /** {@code sent} of {@code total} lines acknowledged; newest event time sent. */
    void update(int sent, int total, Instant eventTime);
  }

  private final ReplayLog replayLog;
  private final Path stateFile;
  private final IngestClient client;
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock;
  private final AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);

  private Replayer(ReplayLog replayLog, Path stateFile, IngestClient client, Clock clock) {
    this.replayLog = replayLog;
    this.stateFile = stateFile;
    this.client = client;
    this.clock = clock;
  }

  /**
   * A replayer of {@code files} into the ingest app at {@code ingestUrl}.
   *
   * @param apiKey the ingest API key, or null where authentication is off
   * @param stateFile the checkpoint file
   */
  public static Replayer of(
      List<Path> files, java.net.URI ingestUrl, String apiKey, Path stateFile, Clock clock)
      throws IOException {
    return of(files, IngestTarget.of(ingestUrl, apiKey), stateFile, clock);
  }

  /**
   * A replayer of {@code files} into the ingest app of {@code target} (URL, API key, trusted
   * certificate authorities).
   *
   * @param stateFile the checkpoint file
   */
  public static Replayer of(List<Path> files, IngestTarget target, Path stateFile, Clock clock)
      throws IOException {
    return new Replayer(
        ReplayLog.read(files), stateFile, new IngestClient(target, RetryPolicy.defaults()), clock);
  }

  /** Lines to replay in all. */
  public int totalLines() {
    return replayLog.lines().size();
  }

  /**
   * Runs (or resumes) the replay until every line is acknowledged.
   *
   * @param speed speed factor; 0 replays as fast as the pipeline takes it
   * @param keepTime keep the original event times
   * @param orderFraction share of qualifying sessions that order (see {@link OrderRule})
   * @return lines acknowledged by this run
   */
  public int run(double speed, boolean keepTime, double orderFraction, Progress progress)
      throws IOException, InterruptedException {
    List<ReplayLog.Line> lines = replayLog.lines();
    List<String> sources = lines.stream().map(ReplayLog.Line::source).distinct().toList();
    ReplayState state =
        ReplayState.load(stateFile).filter(s -> s.sources().equals(sources)).orElse(null);
    ReplayClock plan;
    if (state == null) {
      plan =
          ReplayClock.plan(replayLog.first(), replayLog.last(), clock.instant(), speed, keepTime);
      state =
          new ReplayState(
              sources, plan.first().toEpochMilli(), plan.shift().toMillis(), plan.speed(), 0);
      state.save(stateFile);
    } else {
      plan =
          new ReplayClock(
              Instant.ofEpochMilli(state.firstMillis()),
              Duration.ofMillis(state.shiftMillis()),
              clock.instant(),
              state.speed());
      if (state.acknowledged() < lines.size()) {
        plan = plan.resumeAt(lines.get(state.acknowledged()).pace(), clock.instant());
      }
      log.info("resuming the replay at line {} of {}", state.acknowledged(), lines.size());
    }
    OrderRule orders = new OrderRule(orderFraction);
    for (int i = 0; i < state.acknowledged(); i++) {
      deriveOrder(orders, shifted(lines.get(i), plan)); // rebuild sessions; these orders were sent
    }
    int index = state.acknowledged();
    int sent = 0;
    while (index < lines.size()) {
      int end = batchEnd(lines, index, plan);
      waitUntil(plan.due(lines.get(index).pace()));
      List<byte[]> batch = new ArrayList<>();
      List<Map<String, Object>> batchOrders = new ArrayList<>();
      Instant newest = Instant.EPOCH;
      for (int i = index; i < end; i++) {
        byte[] line = shifted(lines.get(i), plan);
        batch.add(line);
        deriveOrder(orders, line).ifPresent(o -> batchOrders.add(o.toJson()));
        newest = plan.eventTime(lines.get(i).pace()).truncatedTo(ChronoUnit.SECONDS);
      }
      ReplayLog.Line head = lines.get(index);
      client.postLines(
          head.source(),
          "demo-logs:" + head.source() + ":" + head.lineNumber() + "+" + (end - index),
          joined(batch));
      if (!batchOrders.isEmpty()) {
        client.postOrders(
            "demo-orders:" + head.source() + ":" + head.lineNumber(),
            json.writeValueAsBytes(batchOrders));
      }
      sent += end - index;
      index = end;
      state = state.acknowledged(index);
      state.save(stateFile);
      progress.update(index, lines.size(), newest);
    }
    return sent;
  }

  private static byte[] joined(List<byte[]> lines) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      body.write(line, 0, line.length);
      body.write('\n');
    }
    return body.toByteArray();
  }

  private static int batchEnd(List<ReplayLog.Line> lines, int start, ReplayClock plan) {
    ReplayLog.Line head = lines.get(start);
    long slot = slot(head, plan);
    int end = start + 1;
    while (end < lines.size()
        && end - start < MAX_BATCH
        && lines.get(end).source().equals(head.source())
        && slot(lines.get(end), plan) == slot) {
      end++;
    }
    return end;
  }

  private static long slot(ReplayLog.Line line, ReplayClock plan) {
    if (plan.speed() == 0) {
      return 0;
    }
    long logMillisPerSlot = Math.max(1, Math.round(plan.speed() * 1000));
    return Duration.between(plan.first(), line.pace()).toMillis() / logMillisPerSlot;
  }

  private static byte[] shifted(ReplayLog.Line line, ReplayClock plan) {
    if (line.timestamp() == null || plan.shift().isZero()) {
      return line.bytes();
    }
    return LogTimestamp.rewrite(line.bytes(), line.timestamp(), plan.eventTime(line.alignedTime()));
  }

  private java.util.Optional<OrderRule.DerivedOrder> deriveOrder(OrderRule rule, byte[] line) {
    if (parser.parse(line) instanceof ParseResult.Parsed parsed) {
      AccessLogEvent e = parsed.event();
      if (e.getRequestValid() && e.getStatus() < 400) {
        return rule.onRequest(e.getClient(), e.getPath(), e.getEventTime());
      }
    }
    return java.util.Optional.empty();
  }

  private void waitUntil(Instant due) throws InterruptedException {
    while (true) {
      long millis = Duration.between(clock.instant(), due).toMillis();
      if (millis <= 0) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(millis, 500)));
      if (Thread.interrupted()) {
        throw new InterruptedException("replay stopped");
      }
    }
  }
}
