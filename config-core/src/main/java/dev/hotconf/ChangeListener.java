package dev.hotconf;

/**
 * Hears each newly published snapshot. Calls arrive in version order, never concurrently for one
 * listener, and never on the thread that published; an exception thrown here is logged and affects
 * neither other listeners nor the publication.
 */
@FunctionalInterface
public interface ChangeListener {
  void onChange(ConfigChange change);
}
