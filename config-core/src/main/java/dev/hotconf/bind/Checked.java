package dev.hotconf.bind;

/**
 * A record that checks its own values after binding, for rules that involve several components or a
 * parse the converters do not know ({@code HOST:PORT}, "exactly one of key or prefix"). The binder
 * calls {@link #check} on every bound instance; each problem reported lands at the offending value
 * with its line:col, alongside every other problem of the same binding.
 *
 * <pre>{@code
 * record Target(Optional<URI> url, Optional<Path> file) implements Checked {
 *   public void check(Checks checks) {
 *     if (url.isPresent() == file.isPresent()) {
 *       checks.problem("a target needs exactly one of 'url' or 'file'");
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Use the compact constructor for invariants that hold for any instance (an exception thrown
 * there is reported at the whole object); use {@code check} for rules about configuration input.
 */
public interface Checked {
  /** Reports every problem with this instance's values; called once per binding. */
  void check(Checks checks);
}
