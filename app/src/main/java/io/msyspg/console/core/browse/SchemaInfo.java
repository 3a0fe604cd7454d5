package io.msyspg.console.core.browse;

/** A schema as listed under a database. */
public record SchemaInfo(String name, String owner, String comment, boolean system) {}
