package io.oxbow.views;

import io.oxbow.views.record.Filter;
import io.oxbow.views.record.RecordFields;
import io.oxbow.views.record.ValueExtractor;
import io.oxbow.views.record.ValueKind;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link ViewDefinition} against its source schema; messages name view and field. */
final class DefinitionChecks {
  /** Names of views and metrics: they end up in topic names, paths, URLs and JSON keys. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private DefinitionChecks() {}

  static void check(ViewDefinition def) {
    if (def.name() == null || !NAME.matcher(def.name()).matches()) {
      throw new ViewDefinitionException(
          "view '"
              + def.name()
              + "': name must be lower case letters, digits and underscores, starting with a"
              + " letter (at most 63 characters)");
    }
    String view = "view '" + def.name() + "'";
    if (def.source() == null || def.window() == null) {
      throw new ViewDefinitionException(view + ": source and window are required");
    }
    Set<String> seen = new HashSet<>();
    for (String dimension : def.dimensions()) {
      if (!seen.add(dimension)) {
        throw new ViewDefinitionException(view + ": dimension '" + dimension + "' is listed twice");
      }
      resolve(def, dimension, view + ": dimension '" + dimension + "'");
    }
    if (def.filter() != null) {
      try {
        Filter.parse(def.filter(), name -> RecordFields.resolve(def.source(), name));
      } catch (IllegalArgumentException e) {
        throw new ViewDefinitionException(view + ": filter: " + e.getMessage(), e);
      }
    }
    if (def.metrics().isEmpty()) {
      throw new ViewDefinitionException(view + ": metrics: at least one metric is required");
    }
    Set<String> metricNames = new HashSet<>();
    for (MetricSpec metric : def.metrics()) {
      checkMetric(def, metric, metricNames);
    }
  }

  private static void checkMetric(ViewDefinition def, MetricSpec metric, Set<String> names) {
    String where = "view '" + def.name() + "': metric '" + metric.name() + "'";
    if (metric.name() == null || !NAME.matcher(metric.name()).matches()) {
      throw new ViewDefinitionException(
          where + ": name must be lower case letters, digits and underscores");
    }
    if (!names.add(metric.name())) {
      throw new ViewDefinitionException(where + ": defined twice");
    }
    MetricType type = metric.type();
    if (type == null) {
      throw new ViewDefinitionException(where + ": type is required");
    }
    if (!type.needsField() && metric.field() != null) {
      throw new ViewDefinitionException(where + ": field: " + type.id() + " takes no field");
    }
    if (type.needsField()) {
      if (metric.field() == null) {
        throw new ViewDefinitionException(where + ": field is required for " + type.id());
      }
      ValueExtractor extractor = resolve(def, metric.field(), where + ": field");
      if (type.numeric() && extractor.kind() != ValueKind.NUMBER) {
        throw new ViewDefinitionException(
            where
                + ": field '"
                + metric.field()
                + "' is "
                + extractor.kind().name().toLowerCase(Locale.ROOT)
                + ", "
                + type.id()
                + " needs a number");
      }
    }
    if (!metric.options().keySet().equals(type.defaults().keySet())) {
      throw new ViewDefinitionException(
          where + ": options " + metric.options().keySet() + " differ from " + type.defaults());
    }
    for (Map.Entry<String, Integer> option : metric.options().entrySet()) {
      String problem = type.checkOption(option.getKey(), option.getValue());
      if (problem != null) {
        throw new ViewDefinitionException(
            where + ": " + option.getKey() + " " + option.getValue() + " " + problem);
      }
    }
  }

  static ValueExtractor resolve(ViewDefinition def, String name, String where) {
    try {
      return RecordFields.resolve(def.source(), name);
    } catch (IllegalArgumentException e) {
      throw new ViewDefinitionException(where + ": " + e.getMessage(), e);
    }
  }
}
