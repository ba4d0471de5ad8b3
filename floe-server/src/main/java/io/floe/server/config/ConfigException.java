package io.floe.server.config;

/** Bad configuration; the message is one line a person can act on. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message, Object... args) {
    super(String.format(message, args));
  }
}
