package io.oxbow.batch.view;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.Source;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.visit.PageHit;
import io.oxbow.views.visit.Sessionizer;
import io.oxbow.views.visit.VisitRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch layer of the views of visits ({@code source: visits}): sessionizes the landed access
 * logs' page views with the rule the speed layer's session windows apply ({@link Sessionizer},
 * {@link PageHit}, {@link VisitRules}), folds each hour's visits (by their start) into the views
 * with the views module's fold code, and publishes them through the same manifest, file layout and
 * roll-up tiers as {@link BatchCompactor} does for the other views.
 *
 * <p><b>Watermark.</b> Given the hour C up to which the access logs are closed, an hour's visits
 * are final once every visit that started in it has ended and the timeout has passed after its last
 * page view before C. So the visits views' watermark is C, or the start hour of the earliest visit
 * still open at C, whichever is earlier: it trails the access logs' by at least the timeout.
 *
 * <p><b>What is read.</b> Visits starting in the hours {@code [A, ...)} are found by reading the
 * landed hours from the one holding {@code A - timeout - 1 ms} on (a visit's start needs the
 * timeout before it seen empty) up to C. An hour is folded again when the landed offsets of the
 * hours its visits usually depend on changed (late rows): the hours from {@code timeout + 1 h}
 * before it to {@code timeout + 1 h} after it. A late row further away from the start of a visit it
 * extends (a visit longer than that) is counted only by {@code --recompute}.
 */
public final class VisitCompactor {
  private static final Logger log = LoggerFactory.getLogger(VisitCompactor.class);
  private static final long HOUR = LakeLayout.HOUR_MS;

  private final LakeStorage storage;
  private final DatasetSpec accessLogs;
  private final List<ViewFolder> views;
  private final VisitRules rules;
  private final ViewManifestStore manifests;
  private final TierFolder tiers;
  private final HourPublisher publisher;
  private final long dependencyMillis;

  private VisitCompactor(
      LakeStorage storage, DatasetSpec accessLogs, List<ViewFolder> views, VisitRules rules) {
    this.storage = storage;
    this.accessLogs = accessLogs;
    this.views = views;
    this.rules = rules;
    this.manifests = new ViewManifestStore(storage);
    this.tiers = new TierFolder(storage);
    this.publisher = new HourPublisher(storage, manifests, tiers);
    this.dependencyMillis = rules.timeoutMillis() + HOUR;
  }

  /**
   * The compactor of the visits views of {@code catalog}, or empty when it has none or no dataset
   * holds the access logs ({@code viewSource} {@code access-logs.enriched}).
   */
  public static Optional<VisitCompactor> of(
      LakeStorage storage, List<DatasetSpec> datasets, ViewCatalog catalog, VisitRules rules) {
    List<ViewFolder> views =
        catalog.folders().stream().filter(v -> v.definition().source() == Source.VISITS).toList();
    Optional<DatasetSpec> logs =
        datasets.stream().filter(d -> d.viewSource().equals(Source.ACCESS_LOGS.id())).findFirst();
    if (views.isEmpty() || logs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new VisitCompactor(storage, logs.get(), views, rules));
  }

  /**
   * The landed topic the visits are derived from (its watermark decision feeds {@link #runOnce}).
   */
  public String topic() {
    return accessLogs.topic();
  }

  /**
   * One cycle: publishes every hour whose visits became final or whose input changed, and moves the
   * watermark.
   *
   * @param closedUpTo the hour up to which the access logs are closed ({@link Long#MIN_VALUE}:
   *     none)
   * @return the view hours published
   */
  public int runOnce(long closedUpTo) throws IOException {
    if (closedUpTo == Long.MIN_VALUE) {
      return 0;
    }
    LandedPageViews landed = LandedPageViews.list(storage, accessLogs);
    ViewManifest manifest = manifests.read();
    long watermark = watermark(manifest);
    TreeSet<Long> targets = new TreeSet<>();
    for (long hour : candidates(landed, manifest, closedUpTo)) {
      if (hour >= watermark || isStale(manifest, landed, hour, closedUpTo)) {
        targets.add(hour);
      }
    }
    if (targets.isEmpty()) {
      return 0;
    }
    StartedVisits sessions = sessionize(landed, targets, closedUpTo, true);
    long next = Math.max(watermark, Math.min(closedUpTo, sessions.openFrom(watermark)));
    int published = publish(manifest, landed, targets.headSet(next), sessions, closedUpTo);
    manifest = manifests.read();
    for (ViewFolder view : views) {
      ViewManifest.ViewState state = manifest.view(view.name(), accessLogs.dataset());
      if (next > state.watermark()) {
        manifest = manifest.with(view.name(), state.withWatermark(next));
      }
    }
    manifests.write(manifest);
    return published;
  }

  /**
   * Rebuilds the visits of the final hours in {@code [from, to)} from the landed data (new
   * versions), reading on past {@code to} until every visit that starts before it has ended.
   *
   * @return the view hours published
   */
  public int recompute(long from, long to) throws IOException {
    LandedPageViews landed = LandedPageViews.list(storage, accessLogs);
    ViewManifest manifest = manifests.read();
    long watermark = watermark(manifest);
    TreeSet<Long> targets = new TreeSet<>();
    for (long hour : candidates(landed, manifest, watermark)) {
      if (hour >= LakeLayout.hourOf(from) && hour < to) {
        targets.add(hour);
      }
    }
    if (targets.isEmpty()) {
      return 0;
    }
    List<Long> hours = landed.hours();
    long end = hours.isEmpty() ? watermark : hours.get(hours.size() - 1) + HOUR;
    StartedVisits sessions = sessionize(landed, targets, end, false);
    return publish(manifest, landed, targets, sessions, watermark);
  }

  private long watermark(ViewManifest manifest) {
    long w = Long.MAX_VALUE;
    for (ViewFolder view : views) {
      w = Math.min(w, manifest.view(view.name(), accessLogs.dataset()).watermark());
    }
    return w;
  }

  /** Hours below {@code below} that have landed rows or a published version. */
  private TreeSet<Long> candidates(LandedPageViews landed, ViewManifest manifest, long below) {
    TreeSet<Long> hours = new TreeSet<>(landed.hours());
    for (ViewFolder view : views) {
      hours.addAll(manifest.view(view.name(), accessLogs.dataset()).hours().keySet());
    }
    return new TreeSet<>(hours.headSet(below));
  }

  /** The landed offsets of the hours the visits starting in {@code hour} usually depend on. */
  private long dependency(LandedPageViews landed, long hour, long closedUpTo) {
    long from = LakeLayout.hourOf(hour - dependencyMillis);
    long to = Math.min(closedUpTo, LakeLayout.hourOf(hour + HOUR + dependencyMillis));
    return landed.coveredOffsets(from, to);
  }

  private boolean isStale(
      ViewManifest manifest, LandedPageViews landed, long hour, long closedUpTo) {
    long now = dependency(landed, hour, closedUpTo);
    for (ViewFolder view : views) {
      ViewManifest.HourVersion v =
          manifest.view(view.name(), accessLogs.dataset()).hours().get(hour);
      if (v == null || v.coveredOffsets() != now) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sessionizes the landed hours from before the first target up to {@code end}, keeping the visits
   * that start in a target hour; stops early, unless {@code toEnd}, once none of those is open any
   * more.
   */
  private StartedVisits sessionize(
      LandedPageViews landed, TreeSet<Long> targets, long end, boolean toEnd) throws IOException {
    long first = LakeLayout.hourOf(targets.first() - rules.timeoutMillis() - 1);
    long last = targets.last();
    Sessionizer sessionizer = new Sessionizer(rules);
    StartedVisits sessions = new StartedVisits(targets);
    for (long hour : landed.hours()) {
      if (hour < first) {
        continue;
      }
      if (hour >= end || (!toEnd && hour > last && !sessions.anyOpen(sessionizer))) {
        break;
      }
      for (PageHit.OfVisitor hit : landed.read(hour)) {
        sessions.keep(sessionizer.add(hit.visitor(), hit.hit()));
      }
      sessionizer.closeBefore(hour + HOUR).forEach(sessions::keep);
    }
    if (toEnd) {
      // the hours before end without landed rows are closed too
      sessionizer.closeBefore(end).forEach(sessions::keep);
    }
    sessions.keepOpen(sessionizer.open());
    return sessions;
  }

  private int publish(
      ViewManifest manifest,
      LandedPageViews landed,
      Iterable<Long> hours,
      StartedVisits sessions,
      long closedUpTo)
      throws IOException {
    int published = 0;
    tiers.forget();
    for (long hour : hours) {
      List<Visit> visits = new ArrayList<>();
      for (Sessionizer.Session s : sessions.startingIn(hour)) {
        visits.add(s.visit().toVisit(s.visitor(), rules));
      }
      long pageViews = visits.stream().mapToLong(Visit::getPageViews).sum();
      long dependency = dependency(landed, hour, closedUpTo);
      for (ViewFolder view : views) {
        Map<GroupKey, Aggregate> groups = new TreeMap<>();
        for (Visit visit : visits) {
          if (view.accepts(visit)) {
            view.add(groups.computeIfAbsent(view.key(visit), k -> view.identity()), visit);
          }
        }
        manifest =
            publisher.publish(
                manifest, accessLogs.dataset(), view, hour, groups, dependency, pageViews);
        published++;
      }
    }
    return published;
  }

  /** One hour of one view, as {@link BatchCompactor} publishes the other views' hours. */
}
