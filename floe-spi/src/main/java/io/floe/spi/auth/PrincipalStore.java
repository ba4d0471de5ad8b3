package io.floe.spi.auth;

import java.util.List;
import java.util.Optional;

/**
 * The principals the server has seen, and who administers it. Grants name principals by id; this
 * is where an id is turned back into a name or an e-mail address, and found by them.
 */
public interface PrincipalStore {
  /** Records a principal as seen now: inserted on first sight, its name and e-mail kept current. */
  void record(Principal principal);

  /** A principal seen before. */
  Optional<Principal> find(String id);

  /** Principals whose name or e-mail address contains {@code text} (case-insensitive), by name. */
  List<Principal> search(String text, int limit);

  /**
   * Makes {@code principalId} the server's administrator, once.
   *
   * @return false if the server already has one
   */
  boolean bootstrap(String principalId);

  /** The server's administrator, once bootstrapped. */
  Optional<String> administrator();
}
