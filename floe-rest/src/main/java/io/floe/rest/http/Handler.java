package io.floe.rest.http;

/** Handles one matched request. Returns the body to send (200), a {@link Reply}, or null (204). */
@FunctionalInterface
public interface Handler {
  Object handle(Call call) throws Exception;
}
