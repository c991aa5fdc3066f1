package io.oxbow.serving.ops;

import io.oxbow.serving.query.BatchLayer;
import io.oxbow.serving.speed.SpeedViewStore;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pipeline's state for {@code GET /api/v1/status}: per view the batch watermark and the newest
 * window end in each layer; the consumer lag of the stream processor and the batch loader (records
 * and seconds); dead letters by reason; records dropped by the stream processor by reason (when its
 * metrics URL is configured). Answers are cached for one second so a dashboard per viewer does not
 * load the cluster.
 */
public final class StatusService {
  private static final long CACHE_MILLIS = 1_000;

  private final ViewCatalog catalog;
  private final BatchLayer batch;
  private final SpeedViewStore speed;
  private final DeadLetterStore deadLetters;
  private final ConsumerLag lag;
  private final String streamGroup;
  private final String batchGroup;
  private final Optional<DroppedCounts> dropped;
  private Map<String, Object> cached;
  private long cachedAt;

  /** A status over the given parts. */
  public StatusService(
      ViewCatalog catalog,
      BatchLayer batch,
      SpeedViewStore speed,
      DeadLetterStore deadLetters,
      ConsumerLag lag,
      String streamGroup,
      String batchGroup,
      Optional<DroppedCounts> dropped) {
    this.catalog = catalog;
    this.batch = batch;
    this.speed = speed;
    this.deadLetters = deadLetters;
    this.lag = lag;
    this.streamGroup = streamGroup;
    this.batchGroup = batchGroup;
    this.dropped = dropped;
  }

  /** The status document (see docs/serving-api.md). */
  public synchronized Map<String, Object> status() {
    long now = System.currentTimeMillis();
    if (cached != null && now - cachedAt < CACHE_MILLIS) {
      return cached;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("time", Instant.ofEpochMilli(now).toString());
    Map<String, Object> views = new LinkedHashMap<>();
    OptionalLong lowest = OptionalLong.empty();
    for (String view : catalog.names()) {
      OptionalLong watermark = batch.watermark(view);
      if (watermark.isPresent()
          && (lowest.isEmpty() || watermark.getAsLong() < lowest.getAsLong())) {
        lowest = watermark;
      }
      Map<String, Object> layers = new LinkedHashMap<>();
      layers.put("watermark", iso(watermark));
      layers.put("batch_newest", iso(watermark));
      layers.put("speed_newest", iso(speed.newestWindowEnd(view)));
      layers.put("speed_groups", speed.size(view));
      views.put(view, layers);
    }
    out.put("watermark", iso(lowest));
    out.put("views", views);
    Map<String, Object> lags = new LinkedHashMap<>();
    lags.put("stream_processor", lag.of(streamGroup));
    lags.put("batch_loader", lag.of(batchGroup));
    out.put("lag", lags);
    Map<String, Object> dlq = new LinkedHashMap<>();
    dlq.put("total", deadLetters.total());
    dlq.put("by_reason", deadLetters.countsByReason());
    out.put("dlq", dlq);
    out.put("dropped", droppedCounts());
    Map<String, Object> serving = new LinkedHashMap<>();
    serving.put("speed_caught_up", speed.caughtUp());
    serving.put("speed_rejected", speed.rejected());
    serving.put("dlq_caught_up", deadLetters.caughtUp());
    out.put("serving", serving);
    cached = out;
    cachedAt = now;
    return out;
  }

  private Map<String, Object> droppedCounts() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (dropped.isEmpty()) {
      out.put("by_reason", null);
      out.put("error", "serve.stream-metrics-url is not set");
      return out;
    }
    try {
      out.put("by_reason", dropped.get().read());
    } catch (IOException | RuntimeException e) {
      out.put("by_reason", null);
      out.put("error", e.toString());
    }
    return out;
  }

  private static String iso(OptionalLong millis) {
    return millis.isPresent() ? Instant.ofEpochMilli(millis.getAsLong()).toString() : null;
  }
}
