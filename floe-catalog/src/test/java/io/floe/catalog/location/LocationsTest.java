package io.floe.catalog.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.BadRequestException;
import io.floe.storage.local.LocalStorageProfile;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocationsTest {
  private final Warehouse warehouse =
      new Warehouse(
          WarehouseId.random(), ProjectId.random(), "w", new LocalStorageProfile("/data/w"), List.of("file:///scratch"));

  @Test
  void acceptsLocationsUnderAnAllowedRootInAnySpelling() {
    assertThatCode(() -> Locations.checkAllowed(warehouse, "location", "/data/w/ns/t")).doesNotThrowAnyException();
    assertThatCode(() -> Locations.checkAllowed(warehouse, "location", "file:/data/w/ns/t")).doesNotThrowAnyException();
    assertThatCode(() -> Locations.checkAllowed(warehouse, "location", "file:///data/w/ns/t/")).doesNotThrowAnyException();
    assertThatCode(() -> Locations.checkAllowed(warehouse, "location", "/scratch/x")).doesNotThrowAnyException();
  }

  @Test
  void refusesLocationsOutsideTheRootsOrEscapingThem() {
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "/data/other/t"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("Invalid location: /data/other/t is outside the warehouse's allowed locations");
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "/data/w"))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "/data/w/../other"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "/data/wx/t"))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "s3://bucket/data/w/t"))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "relative/t"))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void holdsPathPropertiesToTheSameRule() {
    assertThatThrownBy(
            () -> Locations.checkTable(warehouse, "/data/w/t", Map.of("write.data.path", "/etc/data")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("Invalid write.data.path: /etc/data");
    assertThatThrownBy(
            () -> Locations.checkTable(warehouse, "/data/w/t", Map.of("write.object-storage.path", "/x")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void buildsDefaultLocationsFromIds() {
    assertThat(Locations.defaultLocation(warehouse, "ns-id", "table-id")).isEqualTo("file:/data/w/ns-id/table-id");
  }

  @Test
  void refusesSpellingsThatWouldMakeOneLocationLookLikeTwo() {
    org.junit.jupiter.api.Assertions.assertAll(
        () -> assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "FILE:///data/w/ns/t"))
            .hasMessageContaining("the scheme must be lower case"),
        () -> assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "file:///data/w//ns/t"))
            .hasMessageContaining("must not contain empty path segments"),
        () -> assertThatThrownBy(() -> Locations.checkAllowed(warehouse, "location", "file:/data/w/ns/t//"))
            .hasMessageContaining("must not contain empty path segments"));
  }
}
