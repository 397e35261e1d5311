package dev.hotconf.sidecar.cli;

import dev.hotconf.parse.ConfigFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --type} values with config-core's own names. */
public final class Types implements ITypeConverter<ConfigFormat> {
  @Override
  public ConfigFormat convert(String value) {
    try {
      return ConfigFormat.named(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
