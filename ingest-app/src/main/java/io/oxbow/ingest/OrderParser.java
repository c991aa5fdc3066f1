package io.oxbow.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.accesslog.ClientAddress;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.OrderItem;
import io.oxbow.runtime.http.ApiException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@code POST /v1/events/orders} body (one JSON object or an array of them, snake_case
 * fields) into Avro {@link Order}s, checking every field against the contract: {@code order_id},
 * {@code client_ip} (an IPv4 or IPv6 address, stored in the access-log parser's normal form, see
 * {@link #clientIp(String)}), {@code customer_id} (non-empty strings), {@code amount} (a
 * non-negative decimal, at most 4 decimal places and 14 integer digits), {@code currency} (an ISO
 * 4217 code), {@code event_time} (an ISO-8601 instant such as {@code 2026-11-25T10:00:00Z}),
 * optional {@code items} ({@code sku}, {@code quantity} >= 1, {@code price}). Unknown fields are
 * errors, so a misspelt field is not silently lost.
 *
 * <p>Limits come first: the body is scanned without building anything, and more than {@link
 * IngestLimits#maxOrders()} orders or {@link IngestLimits#maxJsonValues()} JSON values fail it with
 * 413; a string longer than {@link IngestLimits#maxFieldChars()} is refused (400 naming its field)
 * before any tree is built, and a decimal's exponent and digits are checked before any arithmetic,
 * so no field can make validation slow. Every problem in every order is collected (the first {@link
 * IngestLimits#maxErrorsListed()} listed); any problem fails the whole request with 400.
 */
final class OrderParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> FIELDS =
      Set.of("order_id", "client_ip", "customer_id", "amount", "currency", "event_time", "items");
  private static final Set<String> ITEM_FIELDS = Set.of("sku", "quantity", "price");
  private static final int SCALE = 4;
  private static final int PRECISION = 18;

  /** The longest text of an IP address: a full IPv6 address with an embedded IPv4 one. */
  static final int MAX_IP_CHARS = 45;

  /** The longest text of a decimal: 18 digits, a point, an exponent, some zeros and spaces. */
  static final int MAX_DECIMAL_CHARS = 64;

  /**
   * What a body holds, counted without building it.
   *
   * @param orders top-level orders (1 for a single object)
   * @param values JSON values of every depth
   */
  record Shape(int orders, int values) {}

  private final IngestLimits limits;

  OrderParser(IngestLimits limits) {
    this.limits = limits;
  }

  /**
   * Counts the orders and JSON values of a body by streaming over it, stopping with 413 as soon as
   * a limit is passed, and with 400 when it is no JSON object or array.
   */
  Shape scan(byte[] body) {
    int orders = 0;
    int values = 0;
    int depth = 0;
    try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
      JsonToken root = parser.nextToken();
      if (root != JsonToken.START_OBJECT && root != JsonToken.START_ARRAY) {
        throw ApiException.badRequest("expected a JSON object or an array of objects", List.of());
      }
      boolean array = root == JsonToken.START_ARRAY;
      JsonToken t = root;
      do {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME) {
          if (parser.getTextLength() > limits.maxFieldChars()) {
            throw overlong(array ? orders - 1 : 0, "(a field name)");
          }
        } else {
          values++;
          if (array && depth == 1) {
            orders++;
          }
          if (t.isStructStart()) {
            depth++;
          }
          checkShape(array ? orders : 1, values);
          if (t == JsonToken.VALUE_STRING && parser.getTextLength() > limits.maxFieldChars()) {
            throw overlong(array ? orders - 1 : 0, parser.currentName());
          }
        }
        t = depth > 0 ? parser.nextToken() : null;
      } while (t != null);
      if (depth > 0) {
        throw ApiException.badRequest("the body is not valid JSON: it ends too early", List.of());
      }
      return new Shape(array ? orders : 1, values);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the body is not valid JSON: " + e.getOriginalMessage(), List.of());
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read as JSON", List.of());
    }
  }

  private void checkShape(int orders, int values) {
    if (orders > limits.maxOrders()) {
      throw tooMany("orders", limits.maxOrders(), IngestLimits.MAX_ORDERS.key());
    }
    if (values > limits.maxJsonValues()) {
      throw tooMany("JSON values", limits.maxJsonValues(), IngestLimits.MAX_JSON_VALUES.key());
    }
  }

  private ApiException overlong(int index, String field) {
    String message =
        "longer than " + limits.maxFieldChars() + " characters (ingest.max-field-chars)";
    return ApiException.badRequest(
        "a field of order " + index + " is too long; nothing was written",
        List.of(new ApiException.FieldError(index, field == null ? "" : field, message)));
  }

  private static ApiException tooMany(String what, int limit, String setting) {
    return new ApiException(
        413,
        "the body holds more than "
            + limit
            + " "
            + what
            + " ("
            + setting
            + "); split it into smaller requests; nothing was written",
        List.of(),
        Map.of());
  }

  List<Order> parse(byte[] body) {
    scan(body);
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the body is not valid JSON: " + e.getOriginalMessage(), List.of());
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read as JSON", List.of());
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(nodes::add);
    } else {
      nodes.add(root);
    }
    FieldErrors errors = new FieldErrors(limits.maxErrorsListed());
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Order order = order(i, nodes.get(i), errors);
      if (order != null) {
        orders.add(order);
      }
    }
    if (!errors.isEmpty()) {
      throw errors.badRequest("problem(s) in the orders");
    }
    return orders;
  }

  private Order order(int index, JsonNode node, FieldErrors errors) {
    if (!node.isObject()) {
      errors.add(index, "", "expected a JSON object");
      return null;
    }
    int before = errors.count();
    unknownFields(index, node, FIELDS, "", errors);
    Fields f = new Fields(index, node, "", errors, limits.maxFieldChars());
    String orderId = f.text("order_id");
    String clientIp = f.text("client_ip");
    if (clientIp != null) {
      String sent = clientIp;
      clientIp = clientIp(sent);
      if (clientIp == null) {
        errors.add(index, "client_ip", "not an IPv4 or IPv6 address: " + sent);
      }
    }
    String customerId = f.text("customer_id");
    BigDecimal amount = f.decimal("amount");
    String currency = currency(f);
    Instant eventTime = eventTime(f);
    List<OrderItem> items = items(index, node.get("items"), errors);
    if (errors.count() > before) {
      return null;
    }
    return new Order(orderId, clientIp, customerId, amount, currency, eventTime, items);
  }

  private static String currency(Fields f) {
    String code = f.text("currency");
    if (code == null) {
      return null;
    }
    try {
      if (code.length() == 3 && Currency.getInstance(code).getCurrencyCode().equals(code)) {
        return code;
      }
    } catch (IllegalArgumentException notACurrency) {
      // reported below
    }
    f.error("currency", "not an ISO 4217 currency code (e.g. EUR, USD): " + code);
    return null;
  }

  private static Instant eventTime(Fields f) {
    String text = f.text("event_time");
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      f.error("event_time", "not an ISO-8601 instant such as 2026-11-25T10:00:00Z: " + text);
      return null;
    }
  }

  private List<OrderItem> items(int index, JsonNode node, FieldErrors errors) {
    List<OrderItem> items = new ArrayList<>();
    if (node == null || node.isNull()) {
      return items;
    }
    if (!node.isArray()) {
      errors.add(index, "items", "expected an array of {sku, quantity, price}");
      return items;
    }
    for (int j = 0; j < node.size(); j++) {
      String prefix = "items[" + j + "].";
      JsonNode item = node.get(j);
      if (!item.isObject()) {
        errors.add(index, "items[" + j + "]", "expected a JSON object");
        continue;
      }
      unknownFields(index, item, ITEM_FIELDS, prefix, errors);
      Fields f = new Fields(index, item, prefix, errors, limits.maxFieldChars());
      String sku = f.text("sku");
      Integer quantity = f.positiveInt("quantity");
      BigDecimal price = f.decimal("price");
      if (sku != null && quantity != null && price != null) {
        items.add(new OrderItem(sku, quantity, price));
      }
    }
    return items;
  }

  private static void unknownFields(
      int index, JsonNode node, Set<String> known, String prefix, FieldErrors errors) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        errors.add(index, prefix + name, "unknown field");
      }
    }
  }

  /**
   * The client address in the form page views are keyed by, or null when the text is not an IPv4 or
   * IPv6 address. The access-log parser's own reading ({@link ClientAddress#normalizeIp(String)}):
   * IPv6 in RFC 5952 form ({@code 2001:DB8:0:0:0:0:0:1} is stored as {@code 2001:db8::1}), IPv4 as
   * a dotted quad without leading zeros; host names and IPv6 zones are refused. Orders are joined
   * with page views by this text, so an order and the page views of one client must agree on it.
   * Linear in the text (more than {@value #MAX_IP_CHARS} characters are refused unread), never
   * looked up in DNS.
   */
  static String clientIp(String text) {
    return text.length() > MAX_IP_CHARS ? null : ClientAddress.normalizeIp(text);
  }

  /** Typed access to one object's fields that records each problem with its field name. */
  private record Fields(int index, JsonNode node, String prefix, FieldErrors errors, int maxChars) {
    void error(String field, String message) {
      errors.add(index, prefix + field, message);
    }

    String text(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        error(field, "required");
        return null;
      }
      if (!value.isTextual() || value.textValue().isBlank()) {
        error(field, "must be a non-empty string");
        return null;
      }
      if (value.textValue().length() > maxChars) {
        error(field, "longer than " + maxChars + " characters (ingest.max-field-chars)");
        return null;
      }
      return value.textValue();
    }

    Integer positiveInt(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        error(field, "required");
        return null;
      }
      if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
        error(field, "must be a whole number >= 1");
        return null;
      }
      return value.intValue();
    }

    BigDecimal decimal(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        error(field, "required");
        return null;
      }
      BigDecimal number = number(field, value);
      if (number == null) {
        return null;
      }
      if (number.signum() < 0) {
        error(field, "must not be negative");
        return null;
      }
      if (number.signum() == 0) {
        return BigDecimal.ZERO.setScale(SCALE);
      }
      // digits and exponent are checked before any arithmetic: 1e999999999 would otherwise
      // build a billion-digit number or overflow the scale
      long integerDigits = (long) number.precision() - number.scale();
      if (integerDigits > PRECISION - SCALE) {
        error(field, "too large (at most " + (PRECISION - SCALE) + " integer digits)");
        return null;
      }
      if (number.scale() > SCALE && number.stripTrailingZeros().scale() > SCALE) {
        error(field, "at most " + SCALE + " decimal places");
        return null;
      }
      return number.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    private BigDecimal number(String field, JsonNode value) {
      if (value.isNumber()) {
        return value.decimalValue();
      }
      if (!value.isTextual()) {
        error(field, "must be a decimal number");
        return null;
      }
      String text = value.textValue().trim();
      if (text.length() > MAX_DECIMAL_CHARS) {
        error(field, "must be a decimal number of at most " + MAX_DECIMAL_CHARS + " characters");
        return null;
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        error(field, "must be a decimal number: " + text);
        return null;
      }
    }
  }
}
