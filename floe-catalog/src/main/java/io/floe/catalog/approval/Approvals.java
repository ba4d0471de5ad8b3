package io.floe.catalog.approval;

import io.floe.spi.approval.ChangeApproval;
import io.floe.spi.approval.ProposedChange;
import io.floe.spi.approval.Verdict;
import io.floe.spi.error.ConflictException;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import java.util.function.Supplier;

/**
 * Asks every approver that judges a warehouse's changes about a change before it becomes durable;
 * the first veto stops it (409, with the approver's reason), and nothing is written.
 */
public final class Approvals {
  public static final Approvals NONE = new Approvals(List.of());

  private final List<ChangeApproval> approvers;

  public Approvals(List<ChangeApproval> approvers) {
    this.approvers = List.copyOf(approvers);
  }

  /** Whether any approver judges this warehouse's changes (so that a change is worth describing). */
  public boolean active(Warehouse warehouse) {
    for (ChangeApproval approver : approvers) {
      if (approver.applies(warehouse)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Has a change judged; {@code change} is built only when an approver applies.
   *
   * @throws ConflictException when an approver vetoes it
   */
  public void review(Warehouse warehouse, Supplier<ProposedChange> change) {
    ProposedChange proposed = null;
    for (ChangeApproval approver : approvers) {
      if (!approver.applies(warehouse)) {
        continue;
      }
      if (proposed == null) {
        proposed = change.get();
      }
      Verdict verdict = approver.review(proposed);
      if (!verdict.approved()) {
        throw new ConflictException(
            "%s of %s %s vetoed by %s: %s",
            proposed.operation(), proposed.view() ? "view" : "table", proposed.identifier(), approver.name(),
            verdict.reason());
      }
    }
  }
}
