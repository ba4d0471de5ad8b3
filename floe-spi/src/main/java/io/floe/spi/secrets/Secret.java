package io.floe.spi.secrets;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeSet;

/**
 * Long-lived credentials, such as a storage account's keys, as named values. Its string form
 * shows the names only, so that a secret logged by mistake reveals nothing.
 */
public record Secret(Map<String, String> values) {
  public Secret {
    values = Map.copyOf(requireNonNull(values, "values is null"));
  }

  public String value(String name) {
    return values.get(name);
  }

  @Override
  public String toString() {
    return "Secret" + new TreeSet<>(values.keySet()) + " (values hidden)";
  }
}
