/** JSON Schema validation for hotconf, and the schema support of settings. */
module dev.hotconf.schema {
  requires transitive dev.hotconf.core;
  requires com.networknt.schema;
  requires com.fasterxml.jackson.databind;

  exports dev.hotconf.schema;

  provides dev.hotconf.validate.SchemaProvider with
      dev.hotconf.schema.JsonSchemaProvider;
}
