package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An object with its ancestors, nearest first, up to the server: what an authorizer needs to
 * apply grants made on parents. The catalog's database knows the hierarchy and hands it over with
 * every question, so an authorizer stores grants only.
 */
public record Resource(ObjectRef object, List<ObjectRef> ancestors) {
  public Resource {
    requireNonNull(object, "object is null");
    ancestors = List.copyOf(requireNonNull(ancestors, "ancestors is null"));
  }

  /** A child of this resource. */
  public Resource child(ObjectRef child) {
    java.util.ArrayList<ObjectRef> chain = new java.util.ArrayList<>(ancestors.size() + 1);
    chain.add(object);
    chain.addAll(ancestors);
    return new Resource(child, chain);
  }
}
