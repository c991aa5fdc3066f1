package io.oxbow.serving.query;

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
 * <p>What a query rolls up is cached ({@link PartCache}, bounded): its batch windows as one part,
 * its speed windows in parts of an hour (or of its bucket, when coarser), each under the layer's
 * {@link ViewLayer#version version} of that range. Batch windows are final below the watermark and
 * a new publication changes the batch version; a speed window that changes changes the version of
 * its part. So a repeated query rolls up only what changed since, and merges the buckets holding
 * the seam; it is never answered from data that has been replaced.
 *
 * <p>Thread-safe when the layers are.
 */
public final class QueryEngine {
  /** Rows and aggregates of rolled-up batch windows cached by default. */
  public static final long DEFAULT_CACHE_ROWS = 100_000;

  private final ViewCatalog catalog;
  private final BatchLayer batch;
  private final ViewLayer speed;
  private final QueryParser parser;
  private final QueryLimits limits;
  private final PartCache cache;

  /**
   * An engine over {@code catalog}'s views with the given layers and limits, caching rolled-up
   * batch windows up to {@link #DEFAULT_CACHE_ROWS} rows.
   */
  public QueryEngine(ViewCatalog catalog, BatchLayer batch, ViewLayer speed, QueryLimits limits) {
    this(catalog, batch, speed, limits, DEFAULT_CACHE_ROWS);
  }

  /**
   * An engine over {@code catalog}'s views with the given layers and limits.
   *
   * @param cacheRows most rows and aggregates of rolled-up batch windows kept for later queries (0:
   *     none)
   */
  public QueryEngine(
      ViewCatalog catalog, BatchLayer batch, ViewLayer speed, QueryLimits limits, long cacheRows) {
    this.catalog = catalog;
    this.batch = batch;
    this.speed = speed;
    this.limits = limits;
    this.parser = new QueryParser(limits);
    this.cache = new PartCache(cacheRows);
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
   * @throws QueryException 400 {@code limit} when the result has more rows than allowed and no
   *     limit was given
   */
  public QueryResult run(Query query) {
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
    Query key = unlimited(query);

    LayerPart batchPart = LayerPart.EMPTY;
    QueryResult.Range batchRange = null;
    if (from < seam) {
      long end = Math.min(to, seam);
      batchPart =
          part(
              new PartCache.Key(key, "batch", batchVersion.orElse(null), seam, from, end),
              plan,
              () -> batch.read(folder, from, end),
              b -> to > seam && b.windowEnd() > seam);
      batchRange = range(from, end);
    }
    List<LayerPart> speedParts = List.of();
    QueryResult.Range speedRange = null;
    if (to > seam) {
      long start = Math.max(from, seam);
      speedParts = speedParts(plan, folder, key, seam, start);
      speedRange = range(start, to);
    }
    List<RowData> rows = plan.inOrder(rowLists(plan, batchPart, speedParts));
    if (query.limit() == 0 && rows.size() > limits.maxRows()) {
      throw QueryException.badParameter(
          "limit",
          "the result has "
              + rows.size()
              + " rows, more than the maximum "
              + limits.maxRows()
              + "; set limit, narrow from/to, use a coarser granularity or fewer groupBy"
              + " dimensions");
    }
    List<RowData> limited =
        query.limit() == 0 ? rows : rows.subList(0, Math.min(rows.size(), query.limit()));
    return new QueryResult(
        query.view(),
        watermark.isPresent() ? Instant.ofEpochMilli(watermark.getAsLong()).toString() : null,
        limited,
        new QueryResult.Sources(batchRange, speedRange));
  }

  /**
   * The speed windows of {@code [start, to)} in parts of an hour (or of the bucket): a window that
   * changes only makes its own part roll up again.
   */
  private List<LayerPart> speedParts(
      QueryPlan plan, ViewFolder folder, Query key, long seam, long start) {
    long from = key.from().toEpochMilli();
    List<LayerPart> parts = new ArrayList<>();
    for (long[] chunk : plan.chunks(start, key.to().toEpochMilli())) {
      Optional<Object> version = speed.version(key.view(), chunk[0], chunk[1]);
      parts.add(
          part(
              new PartCache.Key(key, "speed", version.orElse(null), seam, chunk[0], chunk[1]),
              plan,
              () -> speed.read(folder, chunk[0], chunk[1]),
              b -> from < seam && b.windowStart() < seam));
    }
    return parts;
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

  /** Rows and aggregates held by the cache of rolled-up windows now. */
  public long cachedWeight() {
    return cache.weight();
  }

  /** Parts of queries answered from the cache since start. */
  public long cacheHits() {
    return cache.hits();
  }

  /**
   * One layer's part over {@code [key.from, key.to)}: from the cache when the layer gave a version,
   * else rolled up from what {@code read} gives (then kept).
   */
  private LayerPart part(
      PartCache.Key key,
      QueryPlan plan,
      Supplier<Map<GroupKey, Aggregate>> read,
      Predicate<GroupKey> shared) {
    boolean cached = key.version() != null && cache.enabled();
    Supplier<LayerPart> compute =
        () ->
            LayerPart.of(
                plan, plan.rollUp(plan.keep(read.get(), key.from(), key.to())), shared, cached);
    return cached ? cache.get(key, compute) : compute.get();
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
