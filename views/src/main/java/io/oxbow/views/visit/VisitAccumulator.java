package io.oxbow.views.visit;

import io.oxbow.contracts.avro.Visit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The page views of one visit, folded: first and last page view and their count, a state of
 * constant size however long the visit (the session store and its changelog rewrite it on every
 * page view). A monoid: {@link #empty()} is the identity and {@link #merge} is associative and
 * commutative, so the visit comes out the same whatever the order and grouping in which its page
 * views were added (Kafka Streams' session windows add one at a time and merge two sessions when a
 * late page view joins them; the batch layer adds them in time order). Immutable.
 */
public final class VisitAccumulator {
  private static final byte VERSION = 1;
  private static final VisitAccumulator EMPTY = new VisitAccumulator(0, null, null);

  private final long pageViews;
  private final PageHit entry;
  private final PageHit exit;

  private VisitAccumulator(long pageViews, PageHit entry, PageHit exit) {
    this.pageViews = pageViews;
    this.entry = entry;
    this.exit = exit;
  }

  /** No page view. */
  public static VisitAccumulator empty() {
    return EMPTY;
  }

  /** One page view. */
  public static VisitAccumulator of(PageHit hit) {
    return new VisitAccumulator(1, hit, hit);
  }

  /** This visit with {@code hit} added. */
  public VisitAccumulator add(PageHit hit) {
    return merge(of(hit));
  }

  /** The visit of both visits' page views (neither is changed). */
  public VisitAccumulator merge(VisitAccumulator other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return new VisitAccumulator(
        pageViews + other.pageViews,
        PageHit.ORDER.compare(entry, other.entry) <= 0 ? entry : other.entry,
        PageHit.ORDER.compare(exit, other.exit) >= 0 ? exit : other.exit);
  }

  /** True when no page view was added. */
  public boolean isEmpty() {
    return pageViews == 0;
  }

  /** Event time of the first page view; only for a non-empty visit. */
  public long start() {
    return entry.time();
  }

  /** Event time of the last page view; only for a non-empty visit. */
  public long end() {
    return exit.time();
  }

  /** Page views added. */
  public long pageViews() {
    return pageViews;
  }

  /**
   * The finished visit.
   *
   * @param visitor the visitor, the visit's key
   * @param rules the bot rules that set {@code bot_reason}
   * @throws IllegalStateException for an empty accumulator
   */
  public Visit toVisit(String visitor, VisitRules rules) {
    if (isEmpty()) {
      throw new IllegalStateException("a visit needs at least one page view");
    }
    return Visit.newBuilder()
        .setVisitor(visitor)
        .setStartTime(Instant.ofEpochMilli(start()))
        .setEndTime(Instant.ofEpochMilli(end()))
        .setDurationMs(end() - start())
        .setPageViews(pageViews)
        .setEntryPage(entry.path())
        .setExitPage(exit.path())
        .setReferrerDomain(entry.referrerDomain())
        .setCountry(entry.country())
        .setBounced(pageViews == 1 ? 1 : 0)
        .setBotReason(rules.botReason(pageViews, end() - start()))
        .build();
  }

  /**
   * A compact binary form for state stores and repartition topics: a version byte, the page-view
   * count, then the entry and exit page views. The empty accumulator is the version byte and a
   * count of 0.
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(pageViews);
      if (!isEmpty()) {
        writeHit(out, entry);
        writeHit(out, exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #toBytes()}.
   *
   * @throws IllegalArgumentException when the bytes are not of this layout
   */
  public static VisitAccumulator fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "visit state of layout version " + version + ", expected " + VERSION);
      }
      long pageViews = in.readLong();
      if (pageViews == 0) {
        return EMPTY;
      }
      PageHit entry = readHit(in);
      PageHit exit = readHit(in);
      return new VisitAccumulator(pageViews, entry, exit);
    } catch (IOException e) {
      throw new IllegalArgumentException("visit state does not decode: " + e, e);
    }
  }

  private static void writeHit(DataOutputStream out, PageHit hit) throws IOException {
    out.writeLong(hit.time());
    writeText(out, hit.path());
    writeText(out, hit.referrerDomain());
    writeText(out, hit.country());
  }

  private static PageHit readHit(DataInputStream in) throws IOException {
    return new PageHit(in.readLong(), readText(in), readText(in), readText(in));
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] utf8 = in.readNBytes(length);
    if (utf8.length != length) {
      throw new java.io.EOFException("text of " + length + " bytes cut at " + utf8.length);
    }
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VisitAccumulator other
        && pageViews == other.pageViews
        && java.util.Objects.equals(entry, other.entry)
        && java.util.Objects.equals(exit, other.exit);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(pageViews, entry, exit);
  }

  @Override
  public String toString() {
    return isEmpty()
        ? "VisitAccumulator[empty]"
        : "VisitAccumulator[" + pageViews + " page views, " + entry + " .. " + exit + "]";
  }
}
