package io.floe.storage.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.floe.spi.secrets.Secret;
import io.floe.storage.s3.S3StorageProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One credentials provider and one STS client per S3 profile and credential, shared by every
 * request that vends or signs for it. An entry that falls out of use (an hour idle, or a profile
 * or credential replaced) is retired, and closed once the last request that leased it is done:
 * never under a running request.
 */
public final class S3Clients implements AutoCloseable {
  private static final int MAX_ENTRIES = 256;

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Cache<Key, Entry> entries;

  private record Key(S3StorageProfile profile, Optional<Secret> credential) {}

  public S3Clients(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfterAccess(Duration.ofHours(1))
            .executor(Runnable::run) // retire at once, on the thread that evicts
            .removalListener((Key key, Entry entry, RemovalCause cause) -> {
              if (entry != null) {
                entry.retire();
              }
            })
            .build();
  }

  /** Leases the clients of a profile and credential; close the lease when done with them. */
  public Lease lease(S3StorageProfile profile, Optional<Secret> credential) {
    Key key = new Key(profile, credential);
    while (true) {
      Entry entry = entries.get(key, k -> new Entry(profile, credential));
      if (entry.acquire()) {
        return new Lease(entry);
      }
      // retired between the lookup and the lease: it is leaving the cache, take the next one
      entries.asMap().remove(key, entry);
    }
  }

  /** How many entries are open (for tests and metrics). */
  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  @Override
  public void close() {
    entries.invalidateAll();
    entries.cleanUp();
  }

  /** The clients of one profile and credential while a request uses them. */
  public static final class Lease implements AutoCloseable {
    private final Entry entry;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public AwsCredentialsProvider credentials() {
      return entry.provider;
    }

    public StsClient sts() {
      return entry.sts();
    }

    /** Whether the clients behind this lease were closed (tests). */
    boolean closed() {
      return entry.leases.get() < 0;
    }

    boolean sharesClientsWith(Lease other) {
      return entry == other.entry;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        entry.release();
      }
    }
  }

  private final class Entry {
    private final S3StorageProfile profile;
    private final AwsCredentialsProvider provider;
    private volatile StsClient sts;
    /** Leases held; -1 once closed. */
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;

    Entry(S3StorageProfile profile, Optional<Secret> credential) {
      this.profile = profile;
      this.provider = S3Secrets.provider(credential);
    }

    boolean acquire() {
      while (true) {
        int held = leases.get();
        if (held < 0 || retired) {
          return false;
        }
        if (leases.compareAndSet(held, held + 1)) {
          if (retired) {
            release();
            return false;
          }
          return true;
        }
      }
    }

    void release() {
      if (leases.decrementAndGet() == 0 && retired) {
        closeIfUnused();
      }
    }

    void retire() {
      retired = true;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (leases.compareAndSet(0, -1)) {
        StsClient client = sts;
        if (client != null) {
          client.close();
        }
        if (provider instanceof SdkAutoCloseable closeable) {
          closeable.close();
        }
      }
    }

    StsClient sts() {
      StsClient client = sts;
      if (client == null) {
        synchronized (this) {
          client = sts;
          if (client == null) {
            client = build();
            sts = client;
          }
        }
      }
      return client;
    }

    private StsClient build() {
      StsClientBuilder builder =
          StsClient.builder()
              .region(Region.of(profile.region()))
              .credentialsProvider(provider)
              .httpClient(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(connectTimeout)
                      .socketTimeout(readTimeout)
                      .build());
      String endpoint = profile.stsEndpoint() != null ? profile.stsEndpoint() : profile.endpoint();
      if (endpoint != null) {
        builder.endpointOverride(URI.create(endpoint));
      }
      return builder.build();
    }
  }
}
