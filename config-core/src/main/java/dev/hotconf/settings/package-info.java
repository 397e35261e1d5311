/**
 * The settings every hotconf front-end shares ({@link dev.hotconf.settings.HotConfigSettings}:
 * sources, schema, strict, last-known-good, start-timeout) and the one path from them to a {@code
 * HotConfig} ({@link dev.hotconf.settings.Assembler}, {@link dev.hotconf.settings.Assembly}):
 * binding, source creation through {@link dev.hotconf.source.SourceProvider}s and schema support
 * through a {@link dev.hotconf.validate.SchemaProvider}, with every problem reported at once.
 */
package dev.hotconf.settings;
