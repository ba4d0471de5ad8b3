package io.floe.server.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process.resident.memory}: the process's resident set, heap and everything outside it
 * (code, metaspace, thread stacks, the class cache), which is what a container's memory limit
 * counts. Read from {@code /proc/self/statm} at each scrape; absent where there is no /proc.
 */
public final class ResidentMemory {
  private static final Path STATM = Path.of("/proc/self/statm");
  // the kernel's page size; 4 KiB on the platforms Floe ships for
  private static final long PAGE = 4096;

  private ResidentMemory() {}

  public static void bindTo(MeterRegistry registry) {
    if (!Files.isReadable(STATM)) {
      return;
    }
    Gauge.builder("process.resident.memory", ResidentMemory::bytes)
        .description("resident set size of the process")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  static double bytes() {
    try {
      String[] fields = Files.readString(STATM).trim().split(" ");
      return Long.parseLong(fields[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
