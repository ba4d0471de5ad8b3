package io.floe.rest.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The JSON of response objects that the catalog hands out again and again (a cached listing's
 * response), written once per object: keys are held weakly and compared by identity, so an entry
 * lives exactly as long as the object it was written from.
 */
public final class Serialized {
  private final Cache<Object, RawJson> written = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  /** The response's JSON, written with the call's mapper the first time this object is seen. */
  public RawJson json(Call call, Object response) {
    return written.get(response, value -> RawJson.ofUtf8(call.json(value)));
  }
}
