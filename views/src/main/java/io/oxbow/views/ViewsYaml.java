package io.oxbow.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a views file (YAML) into definitions; every error names the file, view and key. */
final class ViewsYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_KEYS = Set.of("views", "replace_defaults");
  private static final Set<String> VIEW_KEYS =
      Set.of("name", "description", "source", "window", "dimensions", "filter", "metrics");
  private static final Set<String> METRIC_KEYS = Set.of("name", "type", "field");

  /** A parsed file: its views, and whether they replace the defaults instead of extending them. */
  record Document(boolean replaceDefaults, List<ViewDefinition> views) {}

  private ViewsYaml() {}

  static Document parse(String text, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ViewDefinitionException(origin + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ViewDefinitionException(origin + ": expected a mapping with a 'views' list");
    }
    checkKeys(root, TOP_KEYS, origin);
    JsonNode replace = root.path("replace_defaults");
    if (!replace.isMissingNode() && !replace.isBoolean()) {
      throw new ViewDefinitionException(origin + ": replace_defaults must be true or false");
    }
    JsonNode views = root.path("views");
    if (!views.isArray()) {
      throw new ViewDefinitionException(origin + ": 'views' must be a list of views");
    }
    List<ViewDefinition> definitions = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < views.size(); i++) {
      JsonNode view = views.get(i);
      String where =
          origin
              + ": view "
              + (view.hasNonNull("name") && view.get("name").isValueNode()
                  ? "'" + view.get("name").asText() + "'"
                  : "#" + (i + 1));
      ViewDefinition definition = view(view, where);
      if (!names.add(definition.name())) {
        throw new ViewDefinitionException(where + ": defined twice in this file");
      }
      try {
        ViewFolder.of(definition);
      } catch (ViewDefinitionException e) {
        throw new ViewDefinitionException(origin + ": " + e.getMessage(), e);
      }
      definitions.add(definition);
    }
    return new Document(replace.asBoolean(false), definitions);
  }

  private static ViewDefinition view(JsonNode view, String where) {
    if (!view.isObject()) {
      throw new ViewDefinitionException(where + ": expected a mapping");
    }
    checkKeys(view, VIEW_KEYS, where);
    String name = required(view, "name", where);
    Source source;
    WindowSize window;
    try {
      source = Source.fromId(required(view, "source", where));
      window = WindowSize.fromId(required(view, "window", where));
    } catch (IllegalArgumentException e) {
      throw new ViewDefinitionException(where + ": " + e.getMessage(), e);
    }
    List<String> dimensions = new ArrayList<>();
    JsonNode dims = view.path("dimensions");
    if (!dims.isMissingNode() && !dims.isNull()) {
      if (!dims.isArray()) {
        throw new ViewDefinitionException(where + ": dimensions must be a list of names");
      }
      for (JsonNode dim : dims) {
        if (!dim.isTextual()) {
          throw new ViewDefinitionException(where + ": dimensions: '" + dim + "' is not a name");
        }
        dimensions.add(dim.asText());
      }
    }
    String filter = view.hasNonNull("filter") ? text(view, "filter", where) : null;
    JsonNode metrics = view.path("metrics");
    if (!metrics.isArray() || metrics.isEmpty()) {
      throw new ViewDefinitionException(where + ": metrics must be a non-empty list");
    }
    List<MetricSpec> specs = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      specs.add(metric(metrics.get(i), where, i + 1));
    }
    return new ViewDefinition(name, source, window, dimensions, filter, specs);
  }

  private static MetricSpec metric(JsonNode metric, String view, int position) {
    String numbered = view + ": metric #" + position;
    if (!metric.isObject()) {
      throw new ViewDefinitionException(numbered + ": expected a mapping with name and type");
    }
    String name = required(metric, "name", numbered);
    String where = view + ": metric '" + name + "'";
    MetricType type;
    try {
      type = MetricType.fromId(required(metric, "type", where));
    } catch (IllegalArgumentException e) {
      throw new ViewDefinitionException(where + ": " + e.getMessage(), e);
    }
    Set<String> allowed = new HashSet<>(METRIC_KEYS);
    allowed.addAll(type.defaults().keySet());
    checkKeys(metric, allowed, where);
    Map<String, Integer> options = new HashMap<>(type.defaults());
    for (String option : type.defaults().keySet()) {
      JsonNode value = metric.path(option);
      if (!value.isMissingNode()) {
        if (!value.isInt()) {
          throw new ViewDefinitionException(where + ": " + option + " must be an integer");
        }
        options.put(option, value.asInt());
      }
    }
    String field = metric.hasNonNull("field") ? text(metric, "field", where) : null;
    return new MetricSpec(name, type, field, options);
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw new ViewDefinitionException(
            where + ": unknown key '" + key + "' (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  private static String required(JsonNode node, String key, String where) {
    if (!node.hasNonNull(key)) {
      throw new ViewDefinitionException(where + ": '" + key + "' is required");
    }
    return text(node, key, where);
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (!value.isValueNode()) {
      throw new ViewDefinitionException(
          where + ": '" + key + "' must be a single value, not " + value);
    }
    return value.asText();
  }
}
