package dev.hotconf;

/**
 * Hears a typed setting change from {@code oldValue} to {@code newValue} (never equal). Same
 * delivery guarantees as {@link ChangeListener}.
 */
@FunctionalInterface
public interface ValueChangeListener<T> {
  void onChange(T oldValue, T newValue);
}
