package io.oxbow.serving;

import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.contracts.deadletter.DeadLetterStage;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorages;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.runtime.kafka.TopicReadiness;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Stands in for the stream processor and the batch loader in ITs: writes speed view records to
 * unique topics (through the registry serde, as the stream processor does) and batch view Parquet
 * plus manifest to a lake directory, and builds a {@link ServeConfig} reading them.
 */
final class Pipeline implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  final String bootstrap;
  final String prefix;
  final String registry;
  final LakeLocation lake;
  final LakeStorage storage;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A pipeline whose lake is the local directory {@code lake}. */
  Pipeline(String bootstrap, Path lake) {
    this(bootstrap, LakeLocation.local(lake));
  }

  /** A pipeline whose lake is at {@code lake} (local or S3). */
  Pipeline(String bootstrap, LakeLocation lake) {
    this(bootstrap, "it-" + UUID.randomUUID().toString().substring(0, 8) + ".", lake);
  }

  private Pipeline(String bootstrap, String prefix, LakeLocation lake) {
    this.bootstrap = bootstrap;
    this.prefix = prefix;
    this.registry = "mock://" + prefix;
    this.lake = lake;
    this.storage = LakeStorages.open(lake, "oxbow-test-pipeline");
  }

  /** The same topics and registry with another lake (the same replay kept elsewhere). */
  Pipeline withLake(LakeLocation other) {
    return new Pipeline(bootstrap, prefix, other);
  }

  /** Closes the lake's storage (its S3 client). */
  @Override
  public void close() {
    storage.close();
  }

  String speedTopic(String view) {
    return prefix + "views.speed." + view;
  }

  String dlqTopic() {
    return prefix + "dlq";
  }

  ServeConfig config() {
    return new ServeConfig(
        "127.0.0.1",
        0,
        bootstrap,
        registry,
        lake,
        Optional.empty(),
        prefix + "views.speed.",
        dlqTopic(),
        prefix + "stream",
        prefix + "batch",
        Optional.empty(),
        QueryLimits.of(2_000, 500),
        QueryEngine.DEFAULT_CACHE_BYTES,
        QueryEngine.DEFAULT_CACHE_ENTRIES,
        ParquetBatchViews.DEFAULT_CACHE_BYTES,
        ParquetBatchViews.DEFAULT_CACHE_ENTRIES,
        io.oxbow.runtime.kafka.KafkaClientSecurity.none(),
        io.oxbow.serving.speed.SpeedViewStore.DEFAULT_MARGIN,
        QueryEngine.DEFAULT_MAX_GROUPS_PER_WINDOW);
  }

  void createTopics(List<String> views) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics =
          new ArrayList<>(
              views.stream()
                  .map(
                      v ->
                          new NewTopic(speedTopic(v), 2, (short) 1)
                              .configs(Map.of("cleanup.policy", "compact")))
                  .toList());
      topics.add(new NewTopic(dlqTopic(), 1, (short) 1));
      admin.createTopics(topics).all().get();
      TopicReadiness.await(admin, topics.stream().map(NewTopic::name).toList(), READY_TIMEOUT);
    }
  }

  /** Waits for every send of {@code sends}, so that a lost record fails the test naming it. */
  private static void delivered(List<Future<RecordMetadata>> sends, String topic) throws Exception {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a record for " + topic + " was not written", e.getCause());
      }
    }
  }

  /** Writes every group to the view's speed topic, keyed by its ViewKey. */
  void publishSpeed(ViewFolder view, Map<GroupKey, Aggregate> groups) throws Exception {
    publishSpeed(view, groups, false);
  }

  /**
   * Writes every group to the view's speed topic, keyed by its ViewKey; {@code eventTimes} stamps
   * each record with its window's start, the earliest event time the stream processor can give it.
   */
  void publishSpeed(ViewFolder view, Map<GroupKey, Aggregate> groups, boolean eventTimes)
      throws Exception {
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
    AvroSerializer keys = new AvroSerializer();
    keys.configure(serde, true);
    AvroSerializer values = new AvroSerializer();
    values.configure(serde, false);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(props, keys, values)) {
      groups.forEach(
          (k, v) ->
              sends.add(
                  producer.send(
                      new ProducerRecord<>(
                          speedTopic(view.name()),
                          null,
                          eventTimes ? k.windowStart() : null,
                          view.codec().toAvroKey(k),
                          view.codec().toAvro(k, v)))));
      producer.flush();
    }
    delivered(sends, speedTopic(view.name()));
  }

  /** Deletes a group from the view's speed topic (a tombstone for its key). */
  void tombstone(ViewFolder view, GroupKey key) throws Exception {
    AvroSerializer keys = new AvroSerializer();
    keys.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), true);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<Object, byte[]> producer =
        new KafkaProducer<>(props, keys, new ByteArraySerializer())) {
      delivered(
          List.of(
              producer.send(
                  new ProducerRecord<>(
                      speedTopic(view.name()), view.codec().toAvroKey(key), null))),
          speedTopic(view.name()));
    }
  }

  /** Commits {@code offset} of partition 0 of {@code topic} for {@code group}. */
  void commitOffset(String group, String topic, long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .alterConsumerGroupOffsets(
              group,
              Map.of(
                  new org.apache.kafka.common.TopicPartition(topic, 0),
                  new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)))
          .all()
          .get();
    }
  }

  /** Writes a dead letter of the parse stage, as the stream processor does. */
  void deadLetter(byte[] raw, DeadLetterReason reason) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      DeadLetter letter =
          DeadLetter.of(
              DeadLetterStage.PARSE,
              reason,
              new IllegalArgumentException("line rejected: " + reason),
              "access-logs.raw",
              0,
              0,
              Instant.now());
      delivered(
          List.of(
              producer.send(
                  new ProducerRecord<>(
                      dlqTopic(), null, null, null, raw, DeadLetterHeaders.of(letter)))),
          dlqTopic());
    }
  }

  /**
   * Writes the groups as the batch view of {@code view} (one file per hour of window start, each a
   * new version) and publishes {@code watermark}, through the lake module as the loader does.
   */
  void publishBatch(ViewFolder view, Map<GroupKey, Aggregate> groups, Instant watermark)
      throws IOException {
    new ViewManifestStore(storage)
        .publishHours(
            view.name(), "test", stage(view, groups, LakeLayout.HOUR_MS), watermark.toEpochMilli());
  }

  /**
   * Publishes the roll-up tiers of {@code view} ({@code 1h} and {@code 1d}) from {@code groups}, as
   * the batch loader folds them, after {@link #publishBatch} of the same groups.
   */
  void publishTiers(ViewFolder view, Map<GroupKey, Aggregate> groups) throws IOException {
    ViewManifestStore store = new ViewManifestStore(storage);
    for (String tier : LakeLayout.TIERS) {
      long size = LakeLayout.tierMillis(tier);
      ViewFolder target =
          view.rolledUp(
              size == LakeLayout.HOUR_MS
                  ? io.oxbow.views.WindowSize.ONE_HOUR
                  : io.oxbow.views.WindowSize.ONE_DAY,
              view.definition().dimensions());
      store.publishTier(view.name(), tier, stage(target, view.rollUp(groups, target), size));
    }
  }

  /** Writes the groups to one staged file per bucket of {@code size}, by window start. */
  private Map<Long, Path> stage(ViewFolder view, Map<GroupKey, Aggregate> groups, long size)
      throws IOException {
    Map<Long, List<Map.Entry<GroupKey, Aggregate>>> byBucket =
        new java.util.TreeMap<>(
            groups.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        e -> Math.floorDiv(e.getKey().windowStart(), size) * size)));
    Map<Long, Path> staged = new java.util.TreeMap<>();
    for (Map.Entry<Long, List<Map.Entry<GroupKey, Aggregate>>> bucket : byBucket.entrySet()) {
      Path file = Files.createTempFile(storage.stagingDir(), "view-", ".parquet");
      GenericData model = GenericData.get();
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withConf(new PlainParquetConfiguration())
              .withSchema(io.oxbow.contracts.avro.ViewAggregate.getClassSchema())
              .withDataModel(model)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .build()) {
        for (Map.Entry<GroupKey, Aggregate> group : bucket.getValue()) {
          writer.write(generic(view.codec().toAvro(group.getKey(), group.getValue())));
        }
      }
      staged.put(bucket.getKey(), file);
    }
    return staged;
  }

  private static GenericRecord generic(io.oxbow.contracts.avro.ViewAggregate row) {
    GenericData.Record out = new GenericData.Record(row.getSchema());
    GenericData.Array<GenericRecord> dims =
        new GenericData.Array<>(row.getDims().size(), out.getSchema().getField("dims").schema());
    row.getDims()
        .forEach(
            d -> {
              GenericData.Record dim = new GenericData.Record(d.getSchema());
              dim.put("name", d.getName());
              dim.put("value", d.getValue());
              dims.add(dim);
            });
    GenericData.Array<GenericRecord> metrics =
        new GenericData.Array<>(
            row.getMetrics().size(), out.getSchema().getField("metrics").schema());
    row.getMetrics()
        .forEach(
            m -> {
              GenericData.Record metric = new GenericData.Record(m.getSchema());
              metric.put("name", m.getName());
              metric.put("type", m.getType());
              metric.put("state", m.getState());
              metrics.add(metric);
            });
    out.put("view", row.getView());
    out.put("window_start", row.getWindowStart().toEpochMilli());
    out.put("window_end", row.getWindowEnd().toEpochMilli());
    out.put("dims", dims);
    out.put("records", row.getRecords());
    out.put("metrics", metrics);
    return out;
  }

  HttpResponse<String> get(String baseUrl, String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
