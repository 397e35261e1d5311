package dev.hotconf.sidecar.run;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secret values planted by a leak test: distinctive random strings (fresh for every run), and a
 * scanner that finds any of them in a text, raw or in the forms an output might carry them in
 * (URL-encoded, JSON-escaped, or one half of the value, which catches truncated quotes).
 */
final class PlantedSecrets {
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String SEPARATORS = "/+=%~";

  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Set<String>> forms = new LinkedHashMap<>();

  /**
   * Two random 10-character halves around a separator that URL-encoding or JSON-escaping changes.
   * Like every method here, returns the value already planted under {@code name} if there is one.
   */
  String text(String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    String a = pick(ALNUM, 10);
    String b = pick(ALNUM, 10);
    char sep = SEPARATORS.charAt(values.size() % SEPARATORS.length());
    return plant(name, a + sep + b, a, b);
  }

  /**
   * 20 random letters and digits (for places that allow no punctuation: tokens, YAML alias names).
   */
  String alnum(String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    String a = pick(ALNUM, 10);
    String b = pick(ALNUM, 10);
    return plant(name, a + b, a, b);
  }

  /** 20 random lower-case letters. */
  String lower(String name) {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    String a = pick(LOWER, 10);
    String b = pick(LOWER, 10);
    return plant(name, a + b, a, b);
  }

  /**
   * A number of {@code digits} digits starting with {@code first} (at least 14 digits:
   * distinctive).
   */
  String number(String name, char first, int digits) {
    if (digits < 14) {
      throw new IllegalArgumentException("too short to be distinctive");
    }
    if (values.containsKey(name)) {
      return values.get(name);
    }
    return plant(name, first + pick("0123456789", digits - 1));
  }

  private String pick(String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private String plant(String name, String value, String... parts) {
    values.put(name, value);
    Set<String> f = new LinkedHashSet<>();
    f.add(value);
    f.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
    f.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
    f.add(value.replace("/", "\\/"));
    f.addAll(List.of(parts));
    forms.put(name, f);
    return value;
  }

  String value(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("not planted: " + name);
    }
    return v;
  }

  int size() {
    return values.size();
  }

  /** Every planted secret found in {@code text}, as "NAME (as FORM) in WHERE: ...context...". */
  List<String> findIn(String where, String text) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : forms.entrySet()) {
      for (String form : e.getValue()) {
        int at = text.indexOf(form);
        if (at >= 0) {
          int from = Math.max(0, at - 80);
          int to = Math.min(text.length(), at + form.length() + 40);
          found.add(
              e.getKey()
                  + " (as "
                  + form
                  + ") in "
                  + where
                  + ": ..."
                  + text.substring(from, to).replace("\n", "\\n")
                  + "...");
          break;
        }
      }
    }
    return found;
  }
}
