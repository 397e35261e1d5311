package dev.hotconf.sidecar.cli;

import dev.hotconf.parse.ConfigFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter for {@code --type}: a format name ({@code yaml}, {@code json}, {@code
 * properties}) to a {@link ConfigFormat}, with config-core's own names.
 */
public final class FormatConverter implements ITypeConverter<ConfigFormat> {
  @Override
  public ConfigFormat convert(String value) {
    try {
      return ConfigFormat.named(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
