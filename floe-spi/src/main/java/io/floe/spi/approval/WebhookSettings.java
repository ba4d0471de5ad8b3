package io.floe.spi.approval;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * A warehouse's approval webhook.
 *
 * @param failOpen what an unanswered call means: approval (open) or a veto (closed)
 */
public record WebhookSettings(URI url, Duration timeout, boolean failOpen) {
  public WebhookSettings {
    requireNonNull(url, "url is null");
    requireNonNull(timeout, "timeout is null");
  }
}
