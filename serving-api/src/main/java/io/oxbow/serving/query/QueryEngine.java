package io.oxbow.serving.query;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.lake.LakeLayout;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers queries over one view from both layers, merged at the batch watermark W.
 *
 * <p>The seam S is W floored to the view's window. A window starting before S comes from the batch
 * view, a window starting at or after S from the speed view: every window from exactly one layer,
 * none missing. The windows are then filtered, rolled up to the query's granularity and {@code
 * groupBy} with the views module's own roll-up (so groups from both layers that fall into one
 * bucket merge as monoids: counts add, distinct counts are sketch unions), read out, sorted and
 * limited.
 *
 * <p>The batch part is read from the coarsest roll-up tier of the batch view the query's buckets
 * allow ({@link TierChoice}: day, week, month and all from the day tier, hour from the hour tier,
 * finer from the view's own windows), its edges and the day holding the seam from the finer tiers;
 * the answer's {@link QueryResult.Sources#batchTiers()} says which tier served which range. As the
 * tiers are the view's windows rolled up with the same monoids, the answer is the same whichever
 * tier serves it (quantile sketches within their error).
 *
 * <p>What a query rolls up is cached ({@link PartCache}, bounded): its batch windows as one part,
 * its speed windows in parts of an hour (or of its bucket, when coarser), each under the layer's
 * {@link ViewLayer#version version} of that range. Batch windows are final below the watermark and
 * a new publication changes the batch version; a speed window that changes changes the version of
 * its part. So a repeated query rolls up only what changed since, and merges the buckets holding
 * the seam; it is never answered from data that has been replaced.
 *
 * <p>Every query is bounded by {@link QueryLimits}: its parameters are checked before any data is
 * read ({@link QueryParser}); each layer is read a UTC day at a time, each day charged to the
 * query's stored groups and checked against its deadline before it is rolled up ({@link
 * QueryBudget}); a query without a limit stops as soon as its rows pass the maximum.
 *
 * <p>The high-cardinality guard ({@link GroupFold}) caps the groups of every window read from
 * either layer at {@code maxGroupsPerWindow} (default {@link #DEFAULT_MAX_GROUPS_PER_WINDOW}),
 * folding the least frequent into one {@code (other)} group before filters and roll-ups (a window
 * read from a tier is the tier's hour or day: the cap then applies to the groups of that hour or
 * day, so the totals are the same but the groups kept apart may differ from a minute read); the
 * answer says how many groups were folded ({@link QueryResult#foldedGroups()}), and {@code
 * oxbow_serving_groups_folded_total{view}} counts them as windows are rolled up.
 *
 * <p>Thread-safe when the layers are.
 */
public final class QueryEngine {
  /** Bytes of rolled-up windows cached by default: 64 MiB. */
  public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;

  /** Parts of queries cached by default. */
  public static final int DEFAULT_CACHE_ENTRIES = 10_000;

  /** Groups of one window kept by default before the rest fold into {@code (other)}. */
  public static final int DEFAULT_MAX_GROUPS_PER_WINDOW = 10_000;

  private static final long DAY = 86_400_000L;

  /** Times a query runs when retention moves while it is answered. */
  static final int RETENTION_ATTEMPTS = 3;

  /**
   * Windows of a tier read at once: as many as a day of minute windows, so a read from a tier holds
   * no more groups than a day of a minute view.
   */
  private static final long WINDOWS_PER_TIER_READ = 1_440;

  private final ViewCatalog catalog;
  private final BatchLayer batch;
  private final ViewLayer speed;
  private final QueryParser parser;
  private final QueryLimits limits;
  private final PartCache cache;
  private final LongSupplier nanoClock;
  private final int maxGroupsPerWindow;
  private final Map<String, AtomicLong> folded = new HashMap<>();

  /**
   * An engine over {@code catalog}'s views with the given layers and limits, caching rolled-up
   * windows up to {@link #DEFAULT_CACHE_BYTES} and {@link #DEFAULT_CACHE_ENTRIES}.
   */
  public QueryEngine(ViewCatalog catalog, BatchLayer batch, ViewLayer speed, QueryLimits limits) {
    this(catalog, batch, speed, limits, DEFAULT_CACHE_BYTES, DEFAULT_CACHE_ENTRIES);
  }

  /**
   * An engine over {@code catalog}'s views with the given layers and limits.
   *
   * @param cacheBytes most bytes (estimated) of rolled-up windows kept for later queries (0: none)
   * @param cacheEntries most parts of queries kept for later queries (0: none)
   */
  public QueryEngine(
      ViewCatalog catalog,
      BatchLayer batch,
      ViewLayer speed,
      QueryLimits limits,
      long cacheBytes,
      int cacheEntries) {
    this(catalog, batch, speed, limits, cacheBytes, cacheEntries, DEFAULT_MAX_GROUPS_PER_WINDOW);
  }

  /**
   * An engine over {@code catalog}'s views with the given layers and limits.
   *
   * @param cacheBytes most bytes (estimated) of rolled-up windows kept for later queries (0: none)
   * @param cacheEntries most parts of queries kept for later queries (0: none)
   * @param maxGroupsPerWindow most groups of one window; the rest fold into {@code (other)}
   */
  public QueryEngine(
      ViewCatalog catalog,
      BatchLayer batch,
      ViewLayer speed,
      QueryLimits limits,
      long cacheBytes,
      int cacheEntries,
      int maxGroupsPerWindow) {
    this(
        catalog,
        batch,
        speed,
        limits,
        cacheBytes,
        cacheEntries,
        maxGroupsPerWindow,
        System::nanoTime);
  }

  /** As above with the default groups per window, timing queries with {@code nanoClock}. */
  QueryEngine(
      ViewCatalog catalog,
      BatchLayer batch,
      ViewLayer speed,
      QueryLimits limits,
      long cacheBytes,
      int cacheEntries,
      LongSupplier nanoClock) {
    this(
        catalog,
        batch,
        speed,
        limits,
        cacheBytes,
        cacheEntries,
        DEFAULT_MAX_GROUPS_PER_WINDOW,
        nanoClock);
  }

  /** As above, timing queries with {@code nanoClock}. */
  QueryEngine(
      ViewCatalog catalog,
      BatchLayer batch,
      ViewLayer speed,
      QueryLimits limits,
      long cacheBytes,
      int cacheEntries,
      int maxGroupsPerWindow,
      LongSupplier nanoClock) {
    if (maxGroupsPerWindow < 2) {
      throw new IllegalArgumentException("maxGroupsPerWindow must be at least 2");
    }
    this.maxGroupsPerWindow = maxGroupsPerWindow;
    catalog.names().forEach(name -> folded.put(name, new AtomicLong()));
    this.catalog = catalog;
    this.batch = batch;
    this.speed = speed;
    this.limits = limits;
    this.parser = new QueryParser(limits);
    this.cache = new PartCache(cacheBytes, cacheEntries);
    this.nanoClock = nanoClock;
  }

  /** The bounds of every query. */
  public QueryLimits limits() {
    return limits;
  }

  /** The views answered. */
  public ViewCatalog catalog() {
    return catalog;
  }

  /**
   * Parses and runs a query from URL parameters.
   *
   * @throws QueryException 404 for an unknown view, 400 naming a bad parameter
   */
  public QueryResult query(String view, Map<String, List<String>> params) {
    ViewFolder folder =
        catalog.find(view).orElseThrow(() -> QueryException.unknownView(view, catalog.names()));
    return run(parser.parse(folder.definition(), params));
  }

  /**
   * Runs a checked query.
   *
   * <p>Retention: a part of the batch range whose tier retention removed ({@link
   * BatchLayer#retainedFrom}) is not read; the answer names it ({@link QueryResult#retained()}).
   * The horizons are read before and after the query: when retention moved them meanwhile (a
   * removed hour may have been read, or found gone, part way), the query runs again, so an answer
   * holds every hour of the range it does not report as removed.
   *
   * @throws QueryException 400 {@code limit} when the result has more rows than allowed and no
   *     limit was given, 400 {@code to} past the most stored groups, 503 {@code query} past the
   *     timeout, 503 {@code view} when retention moved during each of {@value #RETENTION_ATTEMPTS}
   *     runs
   */
  public QueryResult run(Query query) {
    for (int attempt = 1; ; attempt++) {
      Map<String, Long> retained = batch.retainedFrom(query.view());
      QueryResult result = runOnce(query, retained);
      if (result.sources().batch() == null || batch.retainedFrom(query.view()).equals(retained)) {
        return result;
      }
      if (attempt >= RETENTION_ATTEMPTS) {
        throw QueryException.batchViewChanging(query.view());
      }
    }
  }

  private QueryResult runOnce(Query query, Map<String, Long> retained) {
    ViewFolder folder =
        catalog
            .find(query.view())
            .orElseThrow(() -> QueryException.unknownView(query.view(), catalog.names()));
    long from = query.from().toEpochMilli();
    long to = query.to().toEpochMilli();
    // the version is read before the watermark and the groups: a part cached under it never
    // predates it
    Optional<Object> batchVersion = batch.version(query.view(), from, to);
    OptionalLong watermark = batch.watermark(query.view());
    long seam =
        watermark.isPresent()
            ? folder.definition().window().startOf(watermark.getAsLong())
            : Long.MIN_VALUE;
    QueryPlan plan = new QueryPlan(query, folder);
    QueryBudget budget = new QueryBudget(limits, nanoClock);
    Query key = unlimited(query);

    LayerPart batchPart = LayerPart.EMPTY;
    QueryResult.Range batchRange = null;
    List<QueryResult.TierRange> batchTiers = new ArrayList<>();
    List<QueryResult.Retained> gone = new ArrayList<>();
    if (from < seam) {
      long end = Math.min(to, seam);
      List<Read> reads = new ArrayList<>();
      for (TierChoice.Segment whole :
          TierChoice.segments(
              query.granularity(),
              folder.definition().window(),
              batch.tiers(query.view()),
              from,
              end)) {
        TierChoice.Segment segment = RetainedRanges.keep(folder, whole, retained, gone);
        if (segment == null) {
          continue;
        }
        reads.add(batchRead(segment));
        batchTiers.add(
            new QueryResult.TierRange(
                segment.tier() == null ? folder.definition().window().id() : segment.tier(),
                Instant.ofEpochMilli(segment.from()).toString(),
                Instant.ofEpochMilli(segment.to()).toString()));
      }
      batchPart =
          part(
              new PartCache.Key(key, "batch", batchVersion.orElse(null), seam, from, end),
              plan,
              budget,
              reads,
              b -> to > seam && b.windowEnd() > seam);
      checkRows(query, batchPart.rows().size());
      batchRange = range(from, end);
    }
    List<LayerPart> speedParts = List.of();
    QueryResult.Range speedRange = null;
    if (to > seam) {
      long start = Math.max(from, seam);
      speedParts = speedParts(plan, budget, key, seam, start, batchPart.rows().size());
      speedRange = range(start, to);
    }
    budget.checkTime();
    List<RowData> rows = plan.inOrder(rowLists(plan, batchPart, speedParts));
    checkRows(query, rows.size());
    List<RowData> limited =
        query.limit() == 0 ? rows : rows.subList(0, Math.min(rows.size(), query.limit()));
    return new QueryResult(
        query.view(),
        watermark.isPresent() ? Instant.ofEpochMilli(watermark.getAsLong()).toString() : null,
        limited,
        new QueryResult.Sources(batchRange, speedRange, batchTiers),
        batchPart.folded() + speedParts.stream().mapToLong(LayerPart::folded).sum(),
        gone);
  }

  /**
   * The speed windows of {@code [start, to)} in parts of an hour (or of the bucket): a window that
   * changes only makes its own part roll up again. Stops as soon as the rows so far (after {@code
   * rowsBefore} of the batch part) pass the most rows of a query without a limit.
   */
  private List<LayerPart> speedParts(
      QueryPlan plan, QueryBudget budget, Query key, long seam, long start, int rowsBefore) {
    long from = key.from().toEpochMilli();
    List<LayerPart> parts = new ArrayList<>();
    int rows = rowsBefore;
    for (long[] chunk : plan.chunks(start, key.to().toEpochMilli())) {
      budget.checkTime();
      Optional<Object> version = speed.version(key.view(), chunk[0], chunk[1]);
      LayerPart part =
          part(
              new PartCache.Key(key, "speed", version.orElse(null), seam, chunk[0], chunk[1]),
              plan,
              budget,
              List.of(new Read(speed, chunk[0], chunk[1], DAY)),
              b -> from < seam && b.windowStart() < seam);
      parts.add(part);
      rows += part.rows().size();
      checkRows(plan.query(), rows);
    }
    return parts;
  }

  /**
   * Refuses a query without a limit once it has more rows than the maximum: called as parts are
   * rolled up, so a query past the bound stops before it rolls up the rest.
   */
  private void checkRows(Query query, int rows) {
    if (query.limit() == 0 && rows > limits.maxRows()) {
      throw QueryException.badParameter(
          "limit",
          "the result has more than "
              + limits.maxRows()
              + " rows, the maximum; set limit, narrow from/to, use a coarser granularity or"
              + " fewer groupBy dimensions");
    }
  }

  /**
   * The rows of every part in time order: the batch rows, the buckets both layers fill (merged
   * here, from copies), then the speed rows.
   */
  private static List<List<RowData>> rowLists(
      QueryPlan plan, LayerPart batchPart, List<LayerPart> speedParts) {
    Map<GroupKey, Aggregate> seamBuckets = new HashMap<>();
    batchPart.mergeSharedInto(plan, seamBuckets);
    speedParts.forEach(p -> p.mergeSharedInto(plan, seamBuckets));
    List<List<RowData>> lists = new ArrayList<>();
    lists.add(batchPart.rows());
    lists.add(plan.rows(seamBuckets));
    speedParts.forEach(p -> lists.add(p.rows()));
    return lists;
  }

  /** Publishes {@code oxbow_serving_groups_folded_total{view}} on {@code meters}. */
  public void bindMetrics(MeterRegistry meters) {
    folded.forEach(
        (view, count) ->
            FunctionCounter.builder("oxbow.serving.groups.folded", count, AtomicLong::get)
                .description(
                    "Groups folded into (other) by the cap on groups per window, as windows are"
                        + " rolled up")
                .tag("view", view)
                .register(meters));
  }

  /** Groups of {@code view} folded into {@code (other)} since start. */
  public long foldedGroups(String view) {
    AtomicLong count = folded.get(view);
    return count == null ? 0 : count.get();
  }

  /** Bytes (estimated) held by the cache of rolled-up windows now. */
  public long cachedBytes() {
    return cache.bytes();
  }

  /** Parts held by the cache of rolled-up windows now. */
  public int cachedEntries() {
    return cache.entries();
  }

  /** Parts of queries answered from the cache since start. */
  public long cacheHits() {
    return cache.hits();
  }

  /**
   * One layer's part over {@code [key.from, key.to)}: from the cache when the layer gave a version,
   * else rolled up from what the layer holds (then kept).
   */
  private LayerPart part(
      PartCache.Key key,
      QueryPlan plan,
      QueryBudget budget,
      List<Read> reads,
      Predicate<GroupKey> shared) {
    boolean cached = key.version() != null && cache.enabled();
    Supplier<LayerPart> compute =
        () -> {
          AtomicLong foldedHere = new AtomicLong();
          Map<GroupKey, Aggregate> rolled = new HashMap<>();
          for (Read read : reads) {
            rollUp(plan, budget, read, rolled, foldedHere);
          }
          folded.get(plan.folder().name()).addAndGet(foldedHere.get());
          return LayerPart.of(plan, rolled, shared, cached, foldedHere.get());
        };
    return cached ? cache.get(key, compute) : compute.get();
  }

  /** One layer's windows of {@code [from, to)}, read {@code step} (whole UTC days) at a time. */
  private record Read(ViewLayer layer, long from, long to, long step) {}

  /** How one part of the batch range is read: from a roll-up tier, or the view's own windows. */
  private Read batchRead(TierChoice.Segment segment) {
    if (segment.tier() == null) {
      return new Read(batch, segment.from(), segment.to(), DAY);
    }
    String tier = segment.tier();
    ViewLayer layer = (view, f, t) -> batch.readTier(view, tier, f, t);
    long step = Math.max(DAY, WINDOWS_PER_TIER_READ * LakeLayout.tierMillis(tier) / DAY * DAY);
    return new Read(layer, segment.from(), segment.to(), step);
  }

  /**
   * Adds the groups of {@code read}, filtered and rolled up, to {@code rolled}, read a step at a
   * time (a UTC day; from a tier, {@value #WINDOWS_PER_TIER_READ} of its windows): each step read
   * is charged to the budget before it is rolled up, so a query past its groups or its time stops
   * there, and no more than a step of stored groups is held at once. Each step's windows (the
   * tier's own windows when read from a tier) are capped by the guard first; the groups folded are
   * added to {@code foldedCount}.
   */
  private void rollUp(
      QueryPlan plan,
      QueryBudget budget,
      Read read,
      Map<GroupKey, Aggregate> rolled,
      AtomicLong foldedCount) {
    ViewFolder folder = plan.folder();
    for (long start = read.from(); start < read.to(); ) {
      long end = Math.min(read.to(), Math.floorDiv(start, DAY) * DAY + read.step());
      Map<GroupKey, Aggregate> groups = read.layer().read(folder, start, end);
      budget.charge(groups.size());
      GroupFold.Folded capped = GroupFold.fold(folder, groups, maxGroupsPerWindow);
      foldedCount.addAndGet(capped.folded());
      Map<GroupKey, Aggregate> day = plan.rollUp(plan.keep(capped.groups(), start, end));
      if (rolled.isEmpty()) {
        rolled.putAll(day);
      } else {
        day.forEach((k, v) -> rolled.merge(k, v, (a, b) -> plan.target().merge(a, b)));
      }
      start = end;
    }
  }

  private static Query unlimited(Query query) {
    return new Query(
        query.view(),
        query.from(),
        query.to(),
        query.granularity(),
        query.groupBy(),
        query.metrics(),
        query.filters(),
        query.orderBy(),
        0);
  }

  private static QueryResult.Range range(long from, long to) {
    return new QueryResult.Range(
        Instant.ofEpochMilli(from).toString(), Instant.ofEpochMilli(to).toString());
  }
}
