package io.oxbow.batch.view;

import io.oxbow.lake.LakeLayout;
import io.oxbow.views.visit.Sessionizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one sessionization run of {@link VisitCompactor} keeps: the visits that start in the hours
 * it publishes, by start hour, and the visits left open at the end of what it read.
 */
final class StartedVisits {
  private final TreeSet<Long> targets;
  private final Map<Long, List<Sessionizer.Session>> byHour = new TreeMap<>();
  private List<Sessionizer.Session> open = List.of();

  StartedVisits(TreeSet<Long> targets) {
    this.targets = targets;
  }

  /** Keeps {@code session} (null: none) when it starts in a target hour. */
  void keep(Sessionizer.Session session) {
    if (session == null) {
      return;
    }
    long hour = LakeLayout.hourOf(session.visit().start());
    if (targets.contains(hour)) {
      byHour.computeIfAbsent(hour, h -> new ArrayList<>()).add(session);
    }
  }

  /** Notes the visits still open at the end and keeps those of the target hours. */
  void keepOpen(List<Sessionizer.Session> sessions) {
    open = sessions;
    sessions.forEach(this::keep);
  }

  /** The visits starting in {@code hour}, by start. */
  List<Sessionizer.Session> startingIn(long hour) {
    List<Sessionizer.Session> sessions = new ArrayList<>(byHour.getOrDefault(hour, List.of()));
    sessions.sort(Sessionizer.Session.ORDER);
    return sessions;
  }

  /** True while {@code sessionizer} holds an open visit that starts in a target hour. */
  boolean anyOpen(Sessionizer sessionizer) {
    return sessionizer.open().stream()
        .anyMatch(s -> targets.contains(LakeLayout.hourOf(s.visit().start())));
  }

  /** The start hour of the earliest open visit starting at or after {@code from}, else max. */
  long openFrom(long from) {
    return open.stream()
        .mapToLong(s -> s.visit().start())
        .filter(start -> start >= from)
        .map(LakeLayout::hourOf)
        .min()
        .orElse(Long.MAX_VALUE);
  }
}
