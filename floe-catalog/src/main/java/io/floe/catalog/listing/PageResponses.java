package io.floe.catalog.listing;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.store.Page;
import java.util.ArrayList;
import java.util.function.Function;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;
import org.apache.iceberg.rest.responses.ListTablesResponse;

/**
 * One response per page that the store returns: a page the store serves from its cache comes
 * back as the same object, and so does its response, which lets the API write its JSON once (see
 * the REST layer's {@code Serialized}). Pages are held weakly and compared by identity.
 */
public final class PageResponses<T, R> {
  private final Cache<Page<T>, R> built = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();
  private final Function<Page<T>, R> build;

  private PageResponses(Function<Page<T>, R> build) {
    this.build = requireNonNull(build, "build is null");
  }

  /** Responses of namespace listings. */
  public static PageResponses<Namespace, ListNamespacesResponse> namespaces() {
    return new PageResponses<>(
        page -> ListNamespacesResponse.builder().addAll(new ArrayList<>(page.items())).nextPageToken(page.nextPageToken()).build());
  }

  /** Responses of table or view listings. */
  public static PageResponses<TableIdentifier, ListTablesResponse> identifiers() {
    return new PageResponses<>(
        page -> ListTablesResponse.builder().addAll(new ArrayList<>(page.items())).nextPageToken(page.nextPageToken()).build());
  }

  public R of(Page<T> page) {
    return built.get(page, build);
  }
}
