package dev.hotconf.schema;

import dev.hotconf.ConfigObject;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import java.util.List;

/**
 * Checks a whole parsed tree and returns every problem, positioned at the offending value. Messages
 * never contain secret values.
 */
public interface TreeCheck {
  List<Problem> check(ConfigObject root, Redactor redactor);
}
