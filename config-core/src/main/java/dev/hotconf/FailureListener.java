package dev.hotconf;

/**
 * Hears rejected candidates and source failures. Same delivery guarantees as {@link
 * ChangeListener}.
 */
@FunctionalInterface
public interface FailureListener {
  void onFailure(ConfigFailure failure);
}
