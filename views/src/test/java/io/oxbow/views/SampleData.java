package io.oxbow.views;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.contracts.avro.OrderItem;
import io.oxbow.views.record.ReferrerDomain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Test input built from the real elastic sample: a small combined-log reader (test only; the
 * product's parser is the access-log module) and attributed orders derived from its page views.
 * Country and bot flag stand in for the stream processor's enrichment, deterministically.
 */
final class SampleData {
  static final Path ELASTIC =
      Path.of(
          System.getProperty("oxbow.root"), "samples", "access-logs", "elastic_apache_logs.log");

  private static final Pattern COMBINED =
      Pattern.compile(
          "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}) (\\d+|-)"
              + "(?: \"([^\"]*)\" \"([^\"]*)\")?.*$");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  private static final Pattern IPV4 = Pattern.compile("[0-9.]+");
  private static final Pattern BOT = Pattern.compile("bot|crawl|spider", Pattern.CASE_INSENSITIVE);
  private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "BR", "IN", "JP");
  private static List<AccessLogEvent> events;

  static {
    // Avro 1.12 instantiates classes named in a schema only when trusted: trust the contracts'
    // generated classes that these tests write with SpecificDatumWriter
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            c -> c.getPackageName().equals(AccessLogEvent.class.getPackageName())));
  }

  private SampleData() {}

  static synchronized List<AccessLogEvent> elasticEvents() {
    if (events == null) {
      events = List.copyOf(elasticEvents(line -> Duration.ZERO));
    }
    return events;
  }

  static AccessLogEvent parse(String line) {
    return parse(line, Duration.ZERO);
  }

  /** The line as an enriched event, its event time moved by {@code shift}. */
  static AccessLogEvent parse(String line, Duration shift) {
    Matcher m = COMBINED.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a combined log line: " + line);
    }
    String[] request = m.group(5).split(" ");
    boolean valid = request.length == 3;
    String target = valid ? request[1] : null;
    int q = target == null ? -1 : target.indexOf('?');
    String client = m.group(1);
    String agent = nullIfDash(m.group(9));
    String bytes = m.group(7);
    // the all-arguments constructor: the builder deep-copies defaults, which is slow enough to
    // dominate reading the sample
    return new AccessLogEvent(
        client,
        IPV4.matcher(client).matches() ? ClientKind.IPV4 : ClientKind.HOSTNAME,
        null,
        null,
        OffsetDateTime.parse(m.group(4), TIME).toInstant().plus(shift),
        0,
        m.group(5),
        valid,
        valid ? request[0] : null,
        q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1),
        valid ? request[2] : null,
        Integer.parseInt(m.group(6)),
        bytes.equals("-") ? null : Long.parseLong(bytes),
        nullIfDash(m.group(8)),
        agent,
        null,
        null,
        null,
        null,
        List.of(),
        "combined",
        line.getBytes(StandardCharsets.UTF_8).length,
        "elastic_apache_logs.log",
        COUNTRIES.get(Math.floorMod(client.hashCode(), COUNTRIES.size())),
        null,
        null,
        null,
        agent != null && BOT.matcher(agent).find());
  }

  /** Every sample line, each moved in time by {@code shift} of the line. */
  static List<AccessLogEvent> elasticEvents(Function<String, Duration> shift) {
    try {
      List<AccessLogEvent> parsed = new ArrayList<>();
      for (String line : Files.readAllLines(ELASTIC, StandardCharsets.UTF_8)) {
        parsed.add(parse(line, shift.apply(line)));
      }
      return parsed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The visits of the sample's page views, by the shared session model (default rules). */
  static List<io.oxbow.contracts.avro.Visit> visits() {
    List<io.oxbow.views.visit.PageHit.OfVisitor> hits = new ArrayList<>();
    for (AccessLogEvent event : elasticEvents()) {
      io.oxbow.views.visit.PageHit.OfVisitor hit = io.oxbow.views.visit.PageHit.of(event);
      if (hit != null) {
        hits.add(hit);
      }
    }
    io.oxbow.views.visit.VisitRules rules = io.oxbow.views.visit.VisitRules.DEFAULTS;
    return io.oxbow.views.visit.Sessionizer.sessionize(hits, rules).stream()
        .map(s -> s.visit().toVisit(s.visitor(), rules))
        .toList();
  }

  /** Orders placed by clients of the sample after some of their page views (seeded amounts). */
  static List<AttributedOrder> orders(long seed) {
    Random random = new Random(seed);
    List<AttributedOrder> orders = new ArrayList<>();
    List<AccessLogEvent> all = elasticEvents();
    for (int i = 0; i < all.size(); i += 5) {
      AccessLogEvent view = all.get(i);
      BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(5_000_000), 4);
      String referrer = view.getReferrer();
      orders.add(
          AttributedOrder.newBuilder()
              .setOrderId("o" + i)
              .setClientIp(view.getClient())
              .setCustomerId("c" + Math.floorMod(view.getClient().hashCode(), 700))
              .setAmount(amount)
              .setCurrency("EUR")
              .setEventTime(view.getEventTime().plusSeconds(30))
              // set explicitly: building with the default items makes Avro 1.12 deep-copy the
              // default through a class check that rejects generated classes
              .setItems(List.of(new OrderItem("sku-" + (i % 40), 1, amount)))
              .setAttributed(true)
              .setLandingPage(view.getPath())
              .setReferrerDomain(ReferrerDomain.of(referrer))
              .setCountry(view.getCountry())
              .setPagesViewed(1)
              .setFirstViewTime(view.getEventTime())
              .build());
    }
    return orders;
  }

  /** The record as the batch layer sees it: Avro binary read back without specific classes. */
  static GenericRecord toGeneric(SpecificRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(record.getSchema())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String nullIfDash(String value) {
    return value == null || value.equals("-") ? null : value;
  }
}
