package io.floe.spi.authz;

import io.floe.spi.auth.Principal;
import io.floe.spi.error.UnsupportedException;
import java.util.List;
import java.util.Set;

/**
 * Decides what principals may do, and keeps the grants that decide it. Implementations are
 * thread-safe; failures of a remote authorizer surface as {@link io.floe.spi.error.UnavailableException}
 * (a request is refused, never allowed, when the authorizer cannot be asked).
 */
public interface Authorizer extends AutoCloseable {
  /** Lets everyone do everything, keeps no grants: the embedded default. */
  Authorizer ALLOW_ALL = new Authorizer() {
    @Override
    public String describe() {
      return "allow-all (every caller may do everything)";
    }

    @Override
    public boolean enforcing() {
      return false;
    }

    @Override
    public boolean[] check(Principal principal, List<Check> checks) {
      boolean[] allowed = new boolean[checks.size()];
      java.util.Arrays.fill(allowed, true);
      return allowed;
    }

    @Override
    public Set<String> granted(Principal principal, ObjectType type) {
      return Set.of();
    }

    @Override
    public List<Assignment> assignments(ObjectRef object) {
      return List.of();
    }

    @Override
    public void update(ObjectRef object, List<Assignment> writes, List<Assignment> deletes) {
      if (!writes.isEmpty() || !deletes.isEmpty()) {
        throw new UnsupportedException("Grants need an authorizer: set FLOE_AUTHZ_BACKEND=openfga");
      }
    }

    @Override
    public void forget(ObjectRef object) {}
  };

  /** One line for the log at start. */
  String describe();

  /** False when every check passes, so that callers may skip the work of asking. */
  boolean enforcing();

  /** For each check, in order, whether the principal holds its relation. */
  boolean[] check(Principal principal, List<Check> checks);

  /**
   * The ids of the objects of a type on which the principal, or a role it is an assignee of,
   * holds a grant made on the object itself (every relation implies describe): what a listing
   * needs where the caller cannot see the parent, since then no grant on a parent applies.
   */
  Set<String> granted(Principal principal, ObjectType type);

  /** The grants made on an object itself. */
  List<Assignment> assignments(ObjectRef object);

  /** Writes and deletes grants on an object, all or none. Writing an existing grant is no error. */
  void update(ObjectRef object, List<Assignment> writes, List<Assignment> deletes);

  /** Removes every grant on a deleted object, and the grants a deleted role held. */
  void forget(ObjectRef object);

  @Override
  default void close() {}

  /** How many requests were made to a remote backend so far (for OpenFGA, the metric floe_openfga_requests). */
  default long backendRequests() {
    return 0;
  }
}
