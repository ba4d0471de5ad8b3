package io.floe.catalog.governance;

import io.floe.spi.store.TabularId;

/**
 * What became of a dropped table or view: gone for good (its grants can go too), or soft-dropped
 * (hidden until it expires, and its grants kept for an undrop).
 */
public record DropOutcome(TabularId id, boolean soft) {}
