/**
 * hotconf's core: parsing, merging, validation, snapshots, accessors, binding and settings. The
 * exported packages are the API; {@code dev.hotconf.internal} is not exported.
 *
 * <p>Binding ({@code HotConfig.recordSetting}, {@code dev.hotconf.bind.Binder}) creates records
 * reflectively: a record in a named module must be in a package that module {@code opens} to {@code
 * dev.hotconf.core} (or exports, with a public canonical constructor).
 */
module dev.hotconf.core {
  requires org.yaml.snakeyaml;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.hotconf;
  exports dev.hotconf.bind;
  exports dev.hotconf.parse;
  exports dev.hotconf.settings;
  exports dev.hotconf.source;
  exports dev.hotconf.validate;

  uses dev.hotconf.source.SourceProvider;
  uses dev.hotconf.validate.SchemaProvider;
}
