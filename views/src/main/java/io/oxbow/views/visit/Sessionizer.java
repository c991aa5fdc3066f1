package io.oxbow.views.visit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Cuts a time-sorted stream of page views into visits, the batch layer's form of the rule Kafka
 * Streams' session windows apply in the speed layer: a page view joins its visitor's open visit
 * when its time is at most the timeout after the visit's last page view ({@code time - end <=
 * timeout}, a gap equal to the timeout included), else it starts a new visit.
 *
 * <p>Feed page views in non-decreasing time ({@link #add}); {@link #closeBefore} hands over every
 * visit that no page view at or after a time can extend any more. Since a visit is a monoid ({@link
 * VisitAccumulator}), page views of equal time may come in any order. Not thread-safe.
 */
public final class Sessionizer {
  private final long timeout;
  private final Map<String, VisitAccumulator> open = new HashMap<>();
  private long lastTime = Long.MIN_VALUE;

  /**
   * A visit with its visitor.
   *
   * @param visitor the visitor
   * @param visit its page views, folded
   */
  public record Session(String visitor, VisitAccumulator visit) {
    /** By start, then visitor: a deterministic order for output. */
    public static final Comparator<Session> ORDER =
        Comparator.comparingLong((Session s) -> s.visit().start()).thenComparing(Session::visitor);
  }

  /** A sessionizer of inactivity timeout {@code rules.timeout()}. */
  public Sessionizer(VisitRules rules) {
    this.timeout = rules.timeoutMillis();
  }

  /**
   * Adds a visitor's page view.
   *
   * @return the visitor's previous visit when this page view starts a new one, else null
   * @throws IllegalArgumentException when {@code hit} is older than a page view added before
   */
  public Session add(String visitor, PageHit hit) {
    if (hit.time() < lastTime) {
      throw new IllegalArgumentException(
          "page views must come in time order: " + hit.time() + " after " + lastTime);
    }
    lastTime = hit.time();
    VisitAccumulator current = open.get(visitor);
    if (current != null && hit.time() - current.end() <= timeout) {
      open.put(visitor, current.add(hit));
      return null;
    }
    open.put(visitor, VisitAccumulator.of(hit));
    return current == null ? null : new Session(visitor, current);
  }

  /**
   * Removes and returns the open visits that no page view at or after {@code time} could extend
   * ({@code end + timeout < time}), by start.
   */
  public List<Session> closeBefore(long time) {
    List<Session> closed = new ArrayList<>();
    for (Iterator<Map.Entry<String, VisitAccumulator>> it = open.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, VisitAccumulator> e = it.next();
      if (e.getValue().end() < time - timeout) {
        closed.add(new Session(e.getKey(), e.getValue()));
        it.remove();
      }
    }
    closed.sort(Session.ORDER);
    return closed;
  }

  /** The visits still open, by start (they stay open). */
  public List<Session> open() {
    List<Session> sessions = new ArrayList<>();
    open.forEach((visitor, visit) -> sessions.add(new Session(visitor, visit)));
    sessions.sort(Session.ORDER);
    return sessions;
  }

  /**
   * Every visit of a visitor-tagged list of page views in any order (sorted here by {@link
   * PageHit#ORDER}), open ones included, by start.
   */
  public static List<Session> sessionize(List<PageHit.OfVisitor> hits, VisitRules rules) {
    List<PageHit.OfVisitor> sorted = new ArrayList<>(hits);
    sorted.sort(Comparator.comparing(PageHit.OfVisitor::hit, PageHit.ORDER));
    Sessionizer sessionizer = new Sessionizer(rules);
    List<Session> all = new ArrayList<>();
    for (PageHit.OfVisitor h : sorted) {
      Session done = sessionizer.add(h.visitor(), h.hit());
      if (done != null) {
        all.add(done);
      }
    }
    all.addAll(sessionizer.open());
    all.sort(Session.ORDER);
    return all;
  }
}
