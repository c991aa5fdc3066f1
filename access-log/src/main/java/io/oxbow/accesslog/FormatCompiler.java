package io.oxbow.accesslog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles Apache {@code LogFormat} and nginx {@code log_format} strings into {@link Token}s.
 *
 * <p>A directive between double quotes becomes a quoted field (the parser then honours {@code \"}
 * and {@code \\} escapes and decodes {@code \xHH}). A field kind used twice keeps its first
 * occurrence; later ones, and directives Oxbow has no event field for, go to extra_fields.
 */
final class FormatCompiler {

  private FormatCompiler() {}

  /** Compiles an Apache {@code LogFormat} string (with or without {@code \"} escaped quotes). */
  static List<Token> apache(String format) {
    List<Object> raw = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    Set<Field> used = EnumSet.noneOf(Field.class);
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '\\' && i + 1 < format.length() && "\"\\".indexOf(format.charAt(i + 1)) >= 0) {
        lit.append(format.charAt(i + 1));
        i += 2;
      } else if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
        lit.append('%');
        i += 2;
      } else if (c == '%') {
        int start = i++;
        while (i < format.length() && "!0123456789,<>".indexOf(format.charAt(i)) >= 0) {
          i++;
        }
        String arg = null;
        if (i < format.length() && format.charAt(i) == '{') {
          int close = format.indexOf('}', i);
          if (close < 0) {
            throw new IllegalArgumentException(
                "unterminated %{ in log format at position " + start);
          }
          arg = format.substring(i + 1, close);
          i = close + 1;
        }
        if (i >= format.length() || !Character.isLetter(format.charAt(i))) {
          throw new IllegalArgumentException("incomplete directive at position " + start);
        }
        char letter = format.charAt(i++);
        String directive = format.substring(start, i);
        flush(raw, lit);
        raw.add(Token.field(dedupe(used, apacheField(letter, arg, directive)), false, directive));
      } else {
        lit.append(c);
        i++;
      }
    }
    flush(raw, lit);
    return finish(raw, format);
  }

  private static Field apacheField(char letter, String arg, String directive) {
    String a = arg == null ? "" : arg.toLowerCase(Locale.ROOT);
    switch (letter) {
      case 'h':
      case 'a':
        return Field.CLIENT;
      case 'l':
        return Field.IDENT;
      case 'u':
        return Field.USER;
      case 't':
        if (arg != null) {
          throw new IllegalArgumentException(
              "custom time format " + directive + " is not supported; use %t");
        }
        return Field.TIME_BRACKETED;
      case 'r':
        return Field.REQUEST;
      case 's':
        return Field.STATUS;
      case 'b':
      case 'B':
      case 'O':
        return Field.BYTES;
      case 'D':
        return Field.DURATION_MICROS;
      case 'T':
        return a.isEmpty() || a.equals("s")
            ? Field.DURATION_SECONDS
            : a.equals("us") ? Field.DURATION_MICROS : Field.OTHER;
      case 'v':
      case 'V':
        return Field.VHOST;
      case 'p':
        return a.isEmpty() || a.equals("canonical") || a.equals("local") ? Field.PORT : Field.OTHER;
      case 'i':
        return headerField(a);
      default:
        return Field.OTHER;
    }
  }

  private static Field headerField(String header) {
    switch (header) {
      case "referer":
        return Field.REFERRER;
      case "user-agent":
        return Field.USER_AGENT;
      case "x-forwarded-for":
        return Field.FORWARDED_FOR;
      case "host":
        return Field.VHOST;
      default:
        return Field.OTHER;
    }
  }

  /** Compiles an nginx {@code log_format} string; {@code '...' '...'} config pieces are joined. */
  static List<Token> nginx(String format) {
    String text = joinQuotedPieces(format.strip());
    List<Object> raw = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    Set<Field> used = EnumSet.noneOf(Field.class);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$') {
        lit.append(c);
        i++;
        continue;
      }
      int start = i++;
      boolean braced = i < text.length() && text.charAt(i) == '{';
      int nameStart = braced ? i + 1 : i;
      int j = nameStart;
      while (j < text.length() && isVarChar(text.charAt(j))) {
        j++;
      }
      if (j == nameStart || (braced && (j >= text.length() || text.charAt(j) != '}'))) {
        throw new IllegalArgumentException("bad nginx variable at position " + start);
      }
      String name = text.substring(nameStart, j);
      i = braced ? j + 1 : j;
      flush(raw, lit);
      raw.add(Token.field(dedupe(used, nginxField(name)), false, "$" + name));
    }
    flush(raw, lit);
    return finish(raw, format);
  }

  private static Field nginxField(String name) {
    switch (name) {
      case "remote_addr":
      case "realip_remote_addr":
        return Field.CLIENT;
      case "remote_user":
        return Field.USER;
      case "time_local":
        return Field.TIME;
      case "request":
        return Field.REQUEST;
      case "status":
        return Field.STATUS;
      case "body_bytes_sent":
      case "bytes_sent":
        return Field.BYTES;
      case "http_referer":
        return Field.REFERRER;
      case "http_user_agent":
        return Field.USER_AGENT;
      case "http_x_forwarded_for":
        return Field.FORWARDED_FOR;
      case "host":
      case "http_host":
      case "server_name":
        return Field.VHOST;
      case "server_port":
        return Field.PORT;
      case "request_time":
        return Field.DURATION_SECONDS;
      default:
        return Field.OTHER;
    }
  }

  private static boolean isVarChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static String joinQuotedPieces(String text) {
    if (text.length() < 2 || text.charAt(0) != '\'' || text.charAt(text.length() - 1) != '\'') {
      return text;
    }
    StringBuilder out = new StringBuilder();
    boolean inside = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        inside = !inside;
      } else if (inside) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Field dedupe(Set<Field> used, Field field) {
    if (field == Field.OTHER) {
      return field;
    }
    Field key = field == Field.TIME ? Field.TIME_BRACKETED : field;
    return used.add(key) ? field : Field.OTHER;
  }

  private static void flush(List<Object> raw, StringBuilder lit) {
    if (lit.length() > 0) {
      raw.add(lit.toString());
      lit.setLength(0);
    }
  }

  /** Marks fields between quotes as quoted, strips those quotes, checks required fields. */
  private static List<Token> finish(List<Object> raw, String format) {
    int n = raw.size();
    String[] lits = new String[n];
    boolean[] quoted = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (raw.get(i) instanceof String s) {
        lits[i] = s;
      }
    }
    for (int i = 0; i < n; i++) {
      if (lits[i] != null) {
        continue;
      }
      boolean open = i > 0 && lits[i - 1] != null && lits[i - 1].endsWith("\"");
      boolean close = i + 1 < n && lits[i + 1] != null && lits[i + 1].startsWith("\"");
      if (open && close) {
        quoted[i] = true;
        lits[i - 1] = lits[i - 1].substring(0, lits[i - 1].length() - 1);
        lits[i + 1] = lits[i + 1].substring(1);
      }
    }
    List<Token> tokens = new ArrayList<>();
    Set<Field> present = EnumSet.noneOf(Field.class);
    for (int i = 0; i < n; i++) {
      if (lits[i] != null) {
        if (!lits[i].isEmpty()) {
          tokens.add(Token.literal(lits[i]));
        }
      } else {
        Token t = (Token) raw.get(i);
        tokens.add(Token.field(t.field(), quoted[i], t.directive()));
        present.add(t.field());
      }
    }
    requireField(present, format, "client address (%h, %a or $remote_addr)", Field.CLIENT);
    requireField(present, format, "time (%t or $time_local)", Field.TIME_BRACKETED, Field.TIME);
    requireField(present, format, "status (%>s or $status)", Field.STATUS);
    return List.copyOf(tokens);
  }

  private static void requireField(Set<Field> present, String format, String what, Field... any) {
    for (Field f : any) {
      if (present.contains(f)) {
        return;
      }
    }
    throw new IllegalArgumentException("log format '" + format + "' has no " + what);
  }
}
