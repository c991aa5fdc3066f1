package io.oxbow.bench.serving;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.WatermarkPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes days of {@link SyntheticTraffic} into a local lake through the batch loader's own code, so
 * the lake holds what production would: each day's events are landed as one Parquet file per hour
 * of the {@code access-logs.enriched} dataset (partition 0, the landing's file names and partition
 * manifest), then one {@link BatchCompactor#runOnce} cycle folds the day's closed hours into the
 * {@code traffic} view's minute files and its hour and day tiers, switches the view's manifest and
 * advances its watermark. The landed rows of the day are then deleted (as landed-row retention
 * would): neither side of the benchmark reads them, and a year of them would be several GB.
 *
 * <p>Only the {@code traffic} view is folded. The lake is cached: a directory whose {@code
 * year.properties} names the same start, days, rate and seed is reused as it is; any other is
 * rebuilt.
 */
final class YearLake {
  private static final Logger log = LoggerFactory.getLogger(YearLake.class);
  private static final String TOPIC = "access-logs.enriched";
  private static final DatasetSpec DATASET = DatasetSpec.of(TOPIC, "event_time");
  private static final String MARKER = "year.properties";
  private static final long DAY_MS = LakeLayout.DAY_MS;

  private YearLake() {}

  /** The lake folder under {@code dir} (the marker lies beside it). */
  static Path lakeOf(Path dir) {
    return dir.resolve("lake");
  }

  /**
   * Makes sure {@code dir} holds the lake of {@code days} days of {@code traffic} from {@code
   * start} (a UTC midnight), writing it when it is missing or was written with other parameters.
   *
   * @param progress told each day's start once it is written
   * @return true when the lake was written, false when the cached one was kept
   */
  static boolean ensure(
      Path dir, SyntheticTraffic traffic, Instant start, int days, LongConsumer progress)
      throws IOException {
    if (start.toEpochMilli() % DAY_MS != 0) {
      throw new IllegalArgumentException("start must be a UTC midnight, was " + start);
    }
    Properties wanted = new Properties();
    wanted.setProperty("start", start.toString());
    wanted.setProperty("days", Integer.toString(days));
    wanted.setProperty("perMinute", Integer.toString(traffic.perMinute()));
    wanted.setProperty("seed", Long.toString(traffic.seed()));
    Path marker = dir.resolve(MARKER);
    if (Files.exists(marker)) {
      Properties found = new Properties();
      try (Reader in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
        found.load(in);
      }
      if (found.equals(wanted)) {
        return false;
      }
    }
    deleteTree(dir);
    Files.createDirectories(dir);
    write(lakeOf(dir), traffic, start, days, progress);
    try (Writer out = Files.newBufferedWriter(marker, StandardCharsets.UTF_8)) {
      wanted.store(out, "synthetic traffic lake");
    }
    return true;
  }

  private static void write(
      Path root, SyntheticTraffic traffic, Instant start, int days, LongConsumer progress)
      throws IOException {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      ManifestStore manifests = new ManifestStore(storage);
      BatchCompactor compactor =
          new BatchCompactor(
              storage,
              List.of(DATASET),
              ViewCatalog.of(List.of(ViewCatalog.defaults().folder("traffic").definition())),
              new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5)),
              topic -> TopicInputs.withoutUpstream(1));
      long nextOffset = 0;
      for (int d = 0; d < days; d++) {
        long day = start.toEpochMilli() + d * DAY_MS;
        int landed = 0;
        for (long hour = day; hour < day + DAY_MS; hour += LakeLayout.HOUR_MS) {
          long next = land(storage, traffic.hour(hour), hour, nextOffset);
          landed += next > nextOffset ? 1 : 0;
          nextOffset = next;
        }
        // the loader has landed past the day's end and the allowed lateness: the day is closed
        long landedUpTo = day + DAY_MS + Duration.ofMinutes(10).toMillis();
        manifests.write(
            DATASET.dataset(),
            new PartitionManifest(TOPIC, 0, nextOffset, landedUpTo, landedUpTo, false, landedUpTo));
        int compacted = compactor.runOnce(landedUpTo);
        if (compacted != landed) {
          throw new IllegalStateException(
              "day "
                  + Instant.ofEpochMilli(day)
                  + ": "
                  + compacted
                  + " hours compacted, not the "
                  + landed
                  + " landed");
        }
        for (String key : storage.list(DATASET.dataset())) {
          if (LandedFile.parse(key).isPresent()) {
            storage.delete(key);
          }
        }
        progress.accept(day);
      }
      log.info("wrote {} days of traffic to {}", days, root);
    }
  }

  /** Lands one hour's events as the lander's file of partition 0; returns the next offset. */
  private static long land(
      LocalLakeStorage storage, List<GenericRecord> events, long hour, long firstOffset)
      throws IOException {
    if (events.isEmpty()) {
      return firstOffset;
    }
    LandedFile file =
        new LandedFile(
            DATASET.dataset(), TOPIC, 0, firstOffset, firstOffset + events.size() - 1, hour);
    Path staged = Files.createTempFile(storage.stagingDir(), "land-", ".parquet");
    try (ParquetWriter<GenericRecord> writer =
        ParquetFiles.writer(staged, AccessLogEvent.getClassSchema())) {
      for (GenericRecord event : events) {
        writer.write(event);
      }
    }
    storage.publish(staged, file.key());
    return file.lastOffset() + 1;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
