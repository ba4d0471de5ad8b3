package io.floe.spi.store;

/** Where a read may be served from. */
public enum ReadMode {
  /** The primary database: sees every committed write. Used for reads inside a commit. */
  PRIMARY,
  /** A read replica when one is configured: may lag the primary. Used for lists and loads. */
  REPLICA_OK
}
