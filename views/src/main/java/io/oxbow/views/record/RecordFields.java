package io.oxbow.views.record;

import io.oxbow.views.Source;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Resolves the names a definition uses (in dimensions, metric fields and filters) to {@link
 * ValueExtractor}s for a {@link Source}: every top-level field of the source's schema that holds a
 * single value, plus derived values.
 *
 * <p>Derived values (they take precedence over a field of the same name):
 *
 * <ul>
 *   <li>{@code status_class} (access logs): {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}
 *       (generally the first digit of {@code status} followed by {@code xx}).
 *   <li>{@code path} (access logs): the request path without any query string; null for request
 *       lines that are not HTTP requests.
 *   <li>{@code referrer_domain} (access logs): the {@link ReferrerDomain} of the {@code referrer}
 *       URL (lower-cased host without user info, port or a leading {@code www.}); null when there
 *       is no referrer or it has no {@code scheme://}. For attributed orders it is the record's own
 *       {@code referrer_domain} field, which attribution derives with the same {@link
 *       ReferrerDomain}.
 *   <li>{@code bot_reason} (access logs): why the request counts as a bot's, in the vocabulary of a
 *       visit's {@code bot_reason}: {@code user-agent} when {@code is_bot} is true, else {@code
 *       none}. One request shows only its user agent; the behaviour rules (robots.txt, no assets,
 *       page rate) judge a visitor's visits, not a request.
 *   <li>{@code hour_of_day} (every source): the UTC hour 0..23 of the event time (of a visit: its
 *       start), as a number.
 * </ul>
 *
 * <p>{@code country} and {@code is_bot} are fields of the enriched access-log record; {@code
 * country} is also a field of attributed orders.
 */
public final class RecordFields {
  private RecordFields() {}

  /** Names of the derived values available for {@code source}. */
  public static Set<String> derivedNames(Source source) {
    return source == Source.ACCESS_LOGS
        ? Set.of("status_class", "path", "referrer_domain", "visitor", "bot_reason", "hour_of_day")
        : Set.of("hour_of_day");
  }

  /**
   * The extractor of {@code name} for records of {@code source}.
   *
   * @throws IllegalArgumentException naming the valid choices when {@code name} is neither a
   *     derived value nor a single-valued field of the source's schema
   */
  public static ValueExtractor resolve(Source source, String name) {
    if (derivedNames(source).contains(name)) {
      return switch (name) {
        case "status_class" -> derived(name, ValueKind.STRING, RecordFields::statusClass);
        case "path" -> derived(name, ValueKind.STRING, RecordFields::pathWithoutQuery);
        case "referrer_domain" -> derived(name, ValueKind.STRING, RecordFields::referrerDomain);
        case "visitor" -> derived(name, ValueKind.STRING, RecordFields::visitor);
        case "bot_reason" -> derived(name, ValueKind.STRING, RecordFields::botReason);
        case "hour_of_day" -> derived(name, ValueKind.NUMBER, RecordFields::hourOfDay);
        default -> throw new IllegalStateException("derived value without reader: " + name);
      };
    }
    Schema.Field field = source.schema().getField(name);
    ValueKind kind = field == null ? null : FieldValues.kindOf(field.schema());
    if (kind == null) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a field of "
              + source.id()
              + " ("
              + source.schema().getName()
              + ") nor a derived value; choose one of "
              + choices(source));
    }
    return new FieldExtractor(name, kind);
  }

  private static String choices(Source source) {
    Set<String> names = new TreeSet<>(derivedNames(source));
    for (Schema.Field field : source.schema().getFields()) {
      if (FieldValues.kindOf(field.schema()) != null) {
        names.add(field.name());
      }
    }
    return String.join(", ", names);
  }

  private static ValueExtractor derived(
      String name, ValueKind kind, Function<GenericRecord, Object> reader) {
    return new ValueExtractor() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ValueKind kind() {
        return kind;
      }

      @Override
      public Object extract(GenericRecord record) {
        return reader.apply(record);
      }
    };
  }

  private static Object statusClass(GenericRecord record) {
    Object status = FieldValues.read(record, "status");
    return status == null ? null : ((Long) status / 100) + "xx";
  }

  private static Object pathWithoutQuery(GenericRecord record) {
    String path = (String) FieldValues.read(record, "path");
    if (path == null) {
      return null;
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static Object hourOfDay(GenericRecord record) {
    long millis = FieldValues.eventTime(record);
    return (long) Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).getHour();
  }

  private static Object visitor(GenericRecord record) {
    Object client = FieldValues.read(record, "client");
    return client == null
        ? null
        : VisitorKey.of(client.toString(), (String) FieldValues.read(record, "user_agent"));
  }

  private static Object botReason(GenericRecord record) {
    return Boolean.TRUE.equals(FieldValues.read(record, "is_bot")) ? "user-agent" : "none";
  }

  private static Object referrerDomain(GenericRecord record) {
    return ReferrerDomain.of((String) FieldValues.read(record, "referrer"));
  }

  /** Reads one top-level field by name. */
  private record FieldExtractor(String name, ValueKind kind) implements ValueExtractor {
    @Override
    public Object extract(GenericRecord record) {
      return FieldValues.read(record, name);
    }
  }
}
