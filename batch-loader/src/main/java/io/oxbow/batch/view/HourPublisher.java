package io.oxbow.batch.view;

import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one hour of a view: writes the hour's groups as the next version of its file, switches
 * the view manifest to it together with the hour's roll-up tier files ({@link TierFolder}), then
 * deletes the versions and tier files the switch replaced. Shared by the compactor of landed rows
 * and the sessionizing visits compactor, so every view's hour is published the same way.
 */
final class HourPublisher {
  private static final Logger log = LoggerFactory.getLogger(HourPublisher.class);

  private final LakeStorage storage;
  private final ViewManifestStore manifests;
  private final TierFolder tiers;

  HourPublisher(LakeStorage storage, ViewManifestStore manifests, TierFolder tiers) {
    this.storage = storage;
    this.manifests = manifests;
    this.tiers = tiers;
  }

  /**
   * Publishes {@code groups} as {@code view}'s hour {@code hour}.
   *
   * @param manifest the manifest to switch from (the latest written)
   * @param dataset the landed dataset the view is folded from
   * @param covered what the hour's version depends on (landed offsets covered), stored in the
   *     manifest so a later cycle sees whether it changed
   * @param rows the input rows folded, for the manifest and the log
   * @return the manifest written
   */
  ViewManifest publish(
      ViewManifest manifest,
      String dataset,
      ViewFolder view,
      long hour,
      Map<GroupKey, Aggregate> groups,
      long covered,
      long rows)
      throws IOException {
    ViewManifest.ViewState state = manifest.view(view.name(), dataset);
    ViewManifest.HourVersion previous = state.hours().get(hour);
    long version = previous == null ? 1 : previous.version() + 1;
    Path staged = HourFolder.write(storage.stagingDir(), view, groups);
    storage.publish(staged, LakeLayout.viewFileKey(view.name(), hour, version));
    state =
        state.withHour(hour, new ViewManifest.HourVersion(version, covered, rows, groups.size()));
    // the hour's tier files are switched to in the same manifest as the hour's own file
    TierFolder.Published tiered = tiers.publish(view, state, hour, groups);
    ViewManifest next = manifest.with(view.name(), tiered.state());
    manifests.write(next);
    String folder = LakeLayout.hourFolder(LakeLayout.viewFolder(view.name()), hour);
    String current = LakeLayout.viewFileKey(view.name(), hour, version);
    for (String key : storage.list(folder)) {
      if (!key.equals(current)) {
        storage.delete(key);
      }
    }
    for (String key : tiered.replaced()) {
      storage.delete(key);
    }
    log.info(
        "view {} hour {}: version {} ({} rows, {} groups)",
        view.name(),
        folder,
        version,
        rows,
        groups.size());
    return next;
  }
}
