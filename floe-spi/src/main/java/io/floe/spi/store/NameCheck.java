package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

/**
 * What a create checks before it writes a metadata file: the namespace it goes into, and whether
 * a live table or view already holds the name there.
 */
public record NameCheck(NamespaceEntry namespace, boolean table, boolean view) {
  public NameCheck {
    requireNonNull(namespace, "namespace is null");
  }
}
