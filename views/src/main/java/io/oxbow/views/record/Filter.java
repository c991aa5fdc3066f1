package io.oxbow.views.record;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;

/**
 * A view's record filter: comparisons joined by {@code and}, e.g. {@code status >= 400 and is_bot =
 * false}. Each comparison is {@code <name> <op> <literal>} where name is a field or derived value
 * (see {@link RecordFields}), op is one of {@code = == != < <= > >=}, and the literal is a number,
 * a quoted string ({@code "..."} or {@code '...'}), {@code true}, {@code false} or {@code null}.
 *
 * <p>Numbers compare numerically (exactly, decimals included); strings compare by equality or
 * lexicographically; booleans by equality only. A null value equals only {@code null} and fails
 * every ordering comparison.
 */
public final class Filter {
  private static final Pattern COMPARISON =
      Pattern.compile(
          "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(==|=|!=|<=|>=|<|>)\\s*"
              + "(\"[^\"]*\"|'[^']*'|-?[0-9]+(?:\\.[0-9]+)?|true|false|null)\\s*");
  private static final Pattern AND = Pattern.compile("(?i)and\\b");

  private final String expression;
  private final List<Comparison> comparisons;

  private Filter(String expression, List<Comparison> comparisons) {
    this.expression = expression;
    this.comparisons = List.copyOf(comparisons);
  }

  /**
   * Parses {@code expression}, resolving names with {@code resolver}.
   *
   * @throws IllegalArgumentException naming the position or the name that is wrong
   */
  public static Filter parse(String expression, Function<String, ValueExtractor> resolver) {
    List<Comparison> comparisons = new ArrayList<>();
    Matcher comparison = COMPARISON.matcher(expression);
    Matcher and = AND.matcher(expression);
    int at = 0;
    while (true) {
      if (!comparison.region(at, expression.length()).lookingAt()) {
        throw new IllegalArgumentException(
            "cannot parse '"
                + expression
                + "' at character "
                + (at + 1)
                + ": expected <field> <op> <literal>, op one of = != < <= > >=");
      }
      comparisons.add(compile(comparison, resolver));
      at = comparison.end();
      if (at == expression.length()) {
        return new Filter(expression, comparisons);
      }
      if (!and.region(at, expression.length()).lookingAt()) {
        throw new IllegalArgumentException(
            "cannot parse '" + expression + "' at character " + (at + 1) + ": expected 'and'");
      }
      at = and.end();
    }
  }

  private static Comparison compile(Matcher m, Function<String, ValueExtractor> resolver) {
    ValueExtractor extractor = resolver.apply(m.group(1));
    String op = m.group(2).equals("==") ? "=" : m.group(2);
    String text = m.group(3);
    Object literal;
    if (text.equals("null")) {
      literal = null;
    } else if (text.startsWith("\"") || text.startsWith("'")) {
      literal = text.substring(1, text.length() - 1);
    } else if (text.equals("true") || text.equals("false")) {
      literal = Boolean.valueOf(text);
    } else {
      literal = new BigDecimal(text);
    }
    boolean equality = op.equals("=") || op.equals("!=");
    ValueKind kind = extractor.kind();
    boolean typeOk =
        literal == null
            ? equality
            : switch (kind) {
              case NUMBER -> literal instanceof BigDecimal;
              case STRING -> literal instanceof String;
              case BOOLEAN -> literal instanceof Boolean && equality;
            };
    if (!typeOk) {
      throw new IllegalArgumentException(
          "'"
              + m.group().trim()
              + "' compares "
              + kind.name().toLowerCase(Locale.ROOT)
              + " '"
              + extractor.name()
              + "' with "
              + text
              + " using "
              + op);
    }
    return new Comparison(extractor, op, literal);
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** True when every comparison holds for {@code record}. */
  public boolean test(GenericRecord record) {
    for (Comparison c : comparisons) {
      if (!c.test(record)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return expression;
  }

  private record Comparison(ValueExtractor extractor, String op, Object literal) {
    boolean test(GenericRecord record) {
      Object value = extractor.extract(record);
      if (value == null || literal == null) {
        boolean same = value == null && literal == null;
        return op.equals("=") ? same : op.equals("!=") && !same;
      }
      int cmp =
          literal instanceof BigDecimal number
              ? FieldValues.asDecimal(value).compareTo(number)
              : literal instanceof String s ? value.toString().compareTo(s) : equalsAsInt(value);
      return switch (op) {
        case "=" -> cmp == 0;
        case "!=" -> cmp != 0;
        case "<" -> cmp < 0;
        case "<=" -> cmp <= 0;
        case ">" -> cmp > 0;
        case ">=" -> cmp >= 0;
        default -> throw new IllegalStateException("operator " + op);
      };
    }

    private int equalsAsInt(Object value) {
      return value.equals(literal) ? 0 : 1;
    }
  }
}
