# Shared by Floe's scripts: the Temurin JDK to build and run Floe with (Java 21 or newer).
floe_java_home() {
  local candidate
  for candidate in $(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/bin/java" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME"
    return 0
  fi
  echo "floe: no Temurin JDK under /usr/lib/jvm (Java 21+ needed)" >&2
  return 1
}

# The Java 17 runtime that Iceberg's Hadoop-based clients (test suites, Spark) need.
floe_java17_home() {
  local candidate
  for candidate in $(ls -d /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-* 2>/dev/null); do
    if [[ -x "$candidate/bin/java" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "floe: no Java 17 runtime under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless)" >&2
  return 1
}
