/**
 * Binding configuration trees to Java values: {@link dev.hotconf.bind.Binder} (strict for settings,
 * lenient as {@code HotConfig.recordSetting}), the record annotations ({@link
 * dev.hotconf.bind.DefaultValue}, {@link dev.hotconf.bind.Positive}, {@link dev.hotconf.bind.Min},
 * {@link dev.hotconf.bind.Max}, {@link dev.hotconf.bind.Inline}, {@link dev.hotconf.bind.Name}),
 * self-checking records ({@link dev.hotconf.bind.Checked}), {@link dev.hotconf.bind.Bound} for
 * turning a builder's rejections into problems at the offending value, and {@link
 * dev.hotconf.bind.Durations}, hotconf's one duration grammar. Every problem of a tree is reported
 * at once, each with its dotted key and the origin (file:line:col) of the offending value.
 */
package dev.hotconf.bind;
