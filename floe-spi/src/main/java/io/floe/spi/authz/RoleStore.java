package io.floe.spi.authz;

import io.floe.spi.tenancy.ProjectId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where roles are kept; their members and grants live in the authorizer. */
public interface RoleStore {
  /**
   * @throws io.floe.spi.error.AlreadyExistsException if the project has a role of that name
   * @throws io.floe.spi.error.NotFoundException if the project does not exist
   */
  void create(Role role);

  Optional<Role> role(UUID id);

  /** The roles of a project, ordered by name. */
  List<Role> list(ProjectId project);

  /**
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.AlreadyExistsException if the name is taken in its project
   */
  void rename(UUID id, String name);

  /** @throws io.floe.spi.error.NotFoundException if it does not exist */
  void delete(UUID id);
}
