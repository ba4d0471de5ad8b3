package io.floe.spi.approval;

/**
 * An outside judge of changes to tables and views (the hook for data contracts): asked before a
 * commit, drop or rename becomes durable; a veto stops it with nothing changed.
 */
public interface ChangeApproval {
  /** A short name, shown with a veto. */
  String name();

  /** Whether this approver judges changes in a warehouse; cheap, asked on every change. */
  boolean applies(io.floe.spi.tenancy.Warehouse warehouse);

  /** Judges a change; an approver that cannot judge decides itself whether that approves. */
  Verdict review(ProposedChange change);
}
