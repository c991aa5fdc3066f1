package io.oxbow.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.OrderItem;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.ApiException.FieldError;
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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@code POST /v1/events/orders} body (one JSON object or an array of them, snake_case
 * fields) into Avro {@link Order}s, checking every field against the contract: {@code order_id},
 * {@code client_ip} (an IPv4 or IPv6 address), {@code customer_id} (non-empty strings), {@code
 * amount} (a non-negative decimal, at most 4 decimal places and 14 integer digits), {@code
 * currency} (an ISO 4217 code), {@code event_time} (an ISO-8601 instant such as {@code
 * 2026-11-25T10:00:00Z}), optional {@code items} ({@code sku}, {@code quantity} >= 1, {@code
 * price}). Unknown fields are errors, so a misspelt field is not silently lost.
 *
 * <p>Every problem in every order is collected; any problem fails the whole request with 400.
 */
final class OrderParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> FIELDS =
      Set.of("order_id", "client_ip", "customer_id", "amount", "currency", "event_time", "items");
  private static final Set<String> ITEM_FIELDS = Set.of("sku", "quantity", "price");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final int SCALE = 4;
  private static final int PRECISION = 18;

  List<Order> parse(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the body is not valid JSON: " + e.getOriginalMessage(), List.of());
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read as JSON", List.of());
    }
    if (root == null || !(root.isObject() || root.isArray())) {
      throw ApiException.badRequest("expected a JSON object or an array of objects", List.of());
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(nodes::add);
    } else {
      nodes.add(root);
    }
    List<FieldError> errors = new ArrayList<>();
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Order order = order(i, nodes.get(i), errors);
      if (order != null) {
        orders.add(order);
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(
          errors.size() + " problem(s) in the orders; nothing was written", errors);
    }
    return orders;
  }

  private Order order(int index, JsonNode node, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError(index, "", "expected a JSON object"));
      return null;
    }
    int before = errors.size();
    unknownFields(index, node, FIELDS, "", errors);
    Fields f = new Fields(index, node, "", errors);
    String orderId = f.text("order_id");
    String clientIp = f.text("client_ip");
    if (clientIp != null && !isIpAddress(clientIp)) {
      errors.add(new FieldError(index, "client_ip", "not an IPv4 or IPv6 address: " + clientIp));
    }
    String customerId = f.text("customer_id");
    BigDecimal amount = f.decimal("amount");
    String currency = currency(f);
    Instant eventTime = eventTime(f);
    List<OrderItem> items = items(index, node.get("items"), errors);
    if (errors.size() > before) {
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

  private List<OrderItem> items(int index, JsonNode node, List<FieldError> errors) {
    List<OrderItem> items = new ArrayList<>();
    if (node == null || node.isNull()) {
      return items;
    }
    if (!node.isArray()) {
      errors.add(new FieldError(index, "items", "expected an array of {sku, quantity, price}"));
      return items;
    }
    for (int j = 0; j < node.size(); j++) {
      String prefix = "items[" + j + "].";
      JsonNode item = node.get(j);
      if (!item.isObject()) {
        errors.add(new FieldError(index, "items[" + j + "]", "expected a JSON object"));
        continue;
      }
      unknownFields(index, item, ITEM_FIELDS, prefix, errors);
      Fields f = new Fields(index, item, prefix, errors);
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
      int index, JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        errors.add(new FieldError(index, prefix + name, "unknown field"));
      }
    }
  }

  static boolean isIpAddress(String text) {
    if (IPV4.matcher(text).matches()) {
      return true;
    }
    if (!IPV6.matcher(text).matches()) {
      return false;
    }
    try {
      // a text with ':' is parsed as an IPv6 literal, never looked up in DNS
      java.net.InetAddress.getByName(text);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Typed access to one object's fields that records each problem with its field name. */
  private record Fields(int index, JsonNode node, String prefix, List<FieldError> errors) {
    void error(String field, String message) {
      errors.add(new FieldError(index, prefix + field, message));
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
      BigDecimal number;
      if (value.isNumber()) {
        number = value.decimalValue();
      } else if (value.isTextual()) {
        try {
          number = new BigDecimal(value.textValue().trim());
        } catch (NumberFormatException e) {
          error(field, "must be a decimal number: " + value.textValue());
          return null;
        }
      } else {
        error(field, "must be a decimal number");
        return null;
      }
      if (number.signum() < 0) {
        error(field, "must not be negative: " + number.toPlainString());
        return null;
      }
      if (number.stripTrailingZeros().scale() > SCALE) {
        error(field, "at most " + SCALE + " decimal places: " + number.toPlainString());
        return null;
      }
      BigDecimal scaled = number.setScale(SCALE, RoundingMode.UNNECESSARY);
      if (scaled.precision() > PRECISION) {
        error(field, "too large (at most " + (PRECISION - SCALE) + " integer digits)");
        return null;
      }
      return scaled;
    }
  }
}
