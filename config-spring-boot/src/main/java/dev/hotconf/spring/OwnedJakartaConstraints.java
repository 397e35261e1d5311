package dev.hotconf.spring;

import dev.hotconf.ConfigNode;
import dev.hotconf.validate.ValidationContext;
import jakarta.validation.ValidatorFactory;

/** {@link JakartaRecordConstraints}, closing the validator factory hotconf made, if any. */
final class OwnedJakartaConstraints implements RecordConstraints, AutoCloseable {
  private final RecordConstraints delegate;
  private final ValidatorFactory factory;

  OwnedJakartaConstraints(RecordConstraints delegate, ValidatorFactory factory) {
    this.delegate = delegate;
    this.factory = factory;
  }

  @Override
  public boolean constrains(Class<?> type) {
    return delegate.constrains(type);
  }

  @Override
  public void check(Object record, String prefix, ConfigNode node, ValidationContext context) {
    delegate.check(record, prefix, node, context);
  }

  @Override
  public void close() {
    if (factory != null) {
      factory.close();
    }
  }
}
