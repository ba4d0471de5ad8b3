package io.floe.catalog.identity;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.auth.Principal;
import io.floe.spi.auth.PrincipalStore;
import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.BadRequestException;
import java.time.Duration;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.Authorizer;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.Relation;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callers the server has seen: each principal is recorded on first sight (and again when its
 * name or e-mail changes, or an hour later), so that grants can be made to principals found by
 * name or e-mail; and the server's administrator, made once by bootstrap.
 */
public final class Principals {
  private static final Logger LOG = LoggerFactory.getLogger(Principals.class);
  private static final int MAX_SEARCH = 100;

  private final PrincipalStore store;
  /** What was recorded for each id lately: a request records nothing when it matches. */
  private final Cache<String, Principal> recorded =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(1)).build();

  private final Authorizer authorizer;

  public Principals(PrincipalStore store, Authorizer authorizer) {
    this.store = requireNonNull(store, "store is null");
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
  }

  /** Records an authenticated caller unless it was recorded as it is lately; never fails a request. */
  public void seen(Principal principal) {
    if (principal.kind() == Principal.Kind.ANONYMOUS || principal.equals(recorded.getIfPresent(principal.id()))) {
      return;
    }
    try {
      store.record(principal);
      recorded.put(principal.id(), principal);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record principal {}: {}", principal.id(), e.toString());
    }
  }

  /**
   * Makes the caller the server's administrator.
   *
   * @throws AlreadyExistsException (409) if the server has one
   * @throws BadRequestException if the caller is anonymous (authentication is off)
   */
  public void bootstrap(Principal caller) {
    if (caller.kind() == Principal.Kind.ANONYMOUS) {
      throw new BadRequestException("Cannot bootstrap: authentication is off, so there is no caller to make administrator");
    }
    store.record(caller);
    if (!store.bootstrap(caller.id())) {
      // the administrator may call again when its grant could not be written the first time
      if (caller.id().equals(store.administrator().orElse(null))) {
        grantAdministrator(caller.id());
      }
      throw new AlreadyExistsException("The server is bootstrapped already");
    }
    LOG.info("bootstrap: {} is the server's administrator", caller.id());
    grantAdministrator(caller.id());
  }

  /**
   * Makes the recorded administrator the server's owner in the authorizer (the database decides
   * who it is; the grant follows, and is written again at each start).
   */
  public void grantAdministrator() {
    store.administrator().ifPresent(this::grantAdministrator);
  }

  private void grantAdministrator(String id) {
    if (authorizer.enforcing()) {
      authorizer.update(ObjectRef.SERVER, List.of(new Assignment(id, Relation.OWNERSHIP)), List.of());
    }
  }

  /** Principals whose name or e-mail contains {@code text}. */
  public List<Principal> search(String text) {
    if (text == null || text.isBlank()) {
      throw new BadRequestException("Missing query parameter search: a part of a name or e-mail address");
    }
    return store.search(text.strip(), MAX_SEARCH);
  }
}
