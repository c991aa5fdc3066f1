package io.oxbow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Oxbow services of a cluster, each its own {@code oxbow} process from the packaged launcher
 * layout: one registry and two instances each of ingest, stream processor, batch loader and serving
 * API on one set of brokers. Each instance has its own ports (free ones), the stream instances
 * their own state directories under one application id, the ingest instances their own
 * transactional-id prefixes ({@code oxbow-ingest-1}, {@code -2}); the batch and serving instances
 * share one lake. The speed views keep late windows for 100 years ({@code --grace 36500d}), so the
 * 2015 sample counts in them; the batch loader rotates files every 5 s and compacts every 10 s.
 */
final class Fleet implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** An ingest instance and its base URL. */
  record Ingest(RestartableService service, String url) {}

  /** A batch-loader instance and the URL of its health endpoints. */
  record Batch(RestartableService service, String health) {
    /** Whether it reports itself the compactor on {@code GET /status}. */
    boolean compacting() throws Exception {
      HttpResponse<String> status =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(health + "/status")).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(status.body()).path("compacting").asBoolean();
    }
  }

  /** A serving instance. */
  record Serve(RestartableService service) {
    /** The {@code /api/v1} URL of its running process (a restart gets a new port). */
    String api() {
      return service.awaitReady() + "api/v1";
    }
  }

  private final List<RestartableService> all = new ArrayList<>();
  private final List<Ingest> ingests = new ArrayList<>();
  private final List<RestartableService> streams = new ArrayList<>();
  private final List<Batch> batches = new ArrayList<>();
  private final List<Serve> serves = new ArrayList<>();
  private final List<String> jvm;
  private String registry;

  private Fleet(List<String> jvm) {
    this.jvm = jvm;
  }

  /**
   * Starts the registry, then the two stream instances (they create the topics), then the others,
   * and waits until every one is ready.
   */
  static Fleet start(String bootstrap, Path dir, List<String> jvm) throws Exception {
    Fleet fleet = new Fleet(jvm);
    try {
      fleet.registry =
          fleet
              .service(
                  "registry",
                  "registry: ",
                  "registry",
                  "--port",
                  "0",
                  "--bootstrap-servers",
                  bootstrap)
              .start()
              .awaitReady();
      String[] kafka = {"--bootstrap-servers", bootstrap, "--schema-registry-url", fleet.registry};
      String lake = dir.resolve("lake").toString();
      for (int i = 1; i <= 2; i++) {
        fleet.streams.add(
            fleet.service(
                "stream-" + i,
                "stream: ",
                with(
                    kafka,
                    "stream",
                    "--http-port",
                    "0",
                    "--grace",
                    "36500d",
                    "--state-dir",
                    dir.resolve("stream-" + i).toString())));
      }
      for (RestartableService s : fleet.streams) {
        s.start();
      }
      for (RestartableService s : fleet.streams) {
        s.awaitReady();
      }
      List<RestartableService> rest = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        rest.add(
            fleet.service(
                "ingest-" + i,
                "ingest: ",
                with(
                    kafka,
                    "ingest",
                    "--port",
                    "0",
                    "--set",
                    "ingest.transactional-id-prefix=oxbow-ingest-" + i)));
        rest.add(
            fleet.service(
                "batch-" + i,
                "batch: ",
                with(
                    kafka,
                    "batch",
                    "--http-port",
                    "0",
                    "--lake-dir",
                    lake,
                    "--set",
                    "batch.rotate-interval=5s",
                    "--set",
                    "batch.compaction-interval=10s")));
        rest.add(
            fleet.service(
                "serve-" + i,
                "serving: ",
                with(kafka, "serve", "--port", "0", "--lake-dir", lake)));
      }
      for (RestartableService s : rest) {
        s.start();
      }
      for (RestartableService s : rest) {
        String ready = s.awaitReady();
        if (s.name().startsWith("ingest")) {
          fleet.ingests.add(new Ingest(s, ready));
        } else if (s.name().startsWith("batch")) {
          String health = ready.substring(ready.indexOf("health on ") + 10, ready.length() - 1);
          fleet.batches.add(new Batch(s, health));
        } else {
          fleet.serves.add(new Serve(s));
        }
      }
      return fleet;
    } catch (Exception | AssertionError e) {
      fleet.close();
      throw e;
    }
  }

  /** The registry's URL. */
  String registry() {
    return registry;
  }

  Ingest ingest(int i) {
    return ingests.get(i);
  }

  RestartableService stream(int i) {
    return streams.get(i);
  }

  Serve serve(int i) {
    return serves.get(i);
  }

  /** The batch instance that reports itself the compactor (fails when none or both do). */
  Batch compactor() throws Exception {
    boolean first = batches.get(0).compacting();
    boolean second = batches.get(1).compacting();
    if (first == second) {
      throw new AssertionError("one compactor expected, compacting: " + first + ", " + second);
    }
    return first ? batches.get(0) : batches.get(1);
  }

  /** The batch instance that is not {@code batch}. */
  Batch other(Batch batch) {
    return batches.get(0) == batch ? batches.get(1) : batches.get(0);
  }

  /** Whether every instance's current process is alive (the killed ones are not). */
  boolean alive(List<RestartableService> services) {
    return services.stream().allMatch(RestartableService::isAlive);
  }

  private RestartableService service(String name, String readyLine, String... args) {
    RestartableService s = new RestartableService(name, readyLine, jvm, Map.of(), args);
    all.add(s);
    return s;
  }

  private static String[] with(String[] common, String command, String... more) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(List.of(common));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Override
  public void close() {
    all.forEach(RestartableService::close);
  }
}
