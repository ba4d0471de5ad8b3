package io.floe.spi.store;

/** What can be protected from being dropped. */
public enum Protectable {
  WAREHOUSE,
  NAMESPACE,
  TABLE,
  VIEW
}
