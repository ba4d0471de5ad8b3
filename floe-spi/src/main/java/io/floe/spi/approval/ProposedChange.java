package io.floe.spi.approval;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A change to a table or view that is about to become durable, as approvers see it.
 *
 * @param operation {@code commit} (a create through a commit, or any update, schema changes
 *     included), {@code drop} or {@code rename}
 * @param view whether it is a view (else a table)
 * @param currentMetadata the current metadata as JSON (a table's or view's), or null when the
 *     change creates it
 * @param requirements and updates what a commit asks (empty for drops and renames)
 * @param destination where a rename goes, or null
 * @param principal who asks, or null without identity
 */
public record ProposedChange(
    String operation,
    Warehouse warehouse,
    TableIdentifier identifier,
    boolean view,
    String currentMetadata,
    List<UpdateRequirement> requirements,
    List<MetadataUpdate> updates,
    TableIdentifier destination,
    boolean purge,
    String principal) {
  public ProposedChange {
    requireNonNull(operation, "operation is null");
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(identifier, "identifier is null");
    requirements = List.copyOf(requirements);
    updates = List.copyOf(updates);
  }
}
