package io.floe.authz.openfga;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.openfga.sdk.api.client.OpenFgaClient;
import dev.openfga.sdk.api.client.model.ClientBatchCheckItem;
import dev.openfga.sdk.api.client.model.ClientBatchCheckRequest;
import dev.openfga.sdk.api.client.model.ClientBatchCheckSingleResponse;
import dev.openfga.sdk.api.client.model.ClientListObjectsRequest;
import dev.openfga.sdk.api.client.model.ClientReadRequest;
import dev.openfga.sdk.api.client.model.ClientTupleKey;
import dev.openfga.sdk.api.client.model.ClientTupleKeyWithoutCondition;
import dev.openfga.sdk.api.client.model.ClientWriteRequest;
import dev.openfga.sdk.api.configuration.ApiToken;
import dev.openfga.sdk.api.configuration.ClientBatchCheckOptions;
import dev.openfga.sdk.api.configuration.ClientConfiguration;
import dev.openfga.sdk.api.configuration.ClientCredentials;
import dev.openfga.sdk.api.configuration.ClientListStoresOptions;
import dev.openfga.sdk.api.configuration.ClientReadOptions;
import dev.openfga.sdk.api.configuration.ClientWriteOptions;
import dev.openfga.sdk.api.configuration.Credentials;
import dev.openfga.sdk.api.model.CreateStoreRequest;
import dev.openfga.sdk.api.model.ReadResponse;
import dev.openfga.sdk.api.model.Store;
import dev.openfga.sdk.api.model.Tuple;
import dev.openfga.sdk.api.model.WriteRequestDeletes;
import dev.openfga.sdk.api.model.WriteRequestWrites;
import dev.openfga.sdk.errors.FgaApiValidationError;
import io.floe.spi.auth.Principal;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.Authorizer;
import io.floe.spi.authz.Check;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.concurrent.NonBlocking;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.UnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization by OpenFGA. The store holds grants only (tuples naming a user or a role's
 * assignees); where an object sits is sent with every check as contextual {@code parent} tuples,
 * from the catalog's database, so that creating, renaming or moving objects never writes to
 * OpenFGA and the two can never disagree about the hierarchy.
 *
 * <p>Decisions are cached for the configured lifetime, and listings of a principal's own grants
 * too: a change made through this server clears both at once; one made through another server
 * takes effect here within the lifetime. Several checks are asked in one batch request.
 */
public final class OpenFgaAuthorizer implements Authorizer {
  private static final Logger LOG = LoggerFactory.getLogger(OpenFgaAuthorizer.class);
  /** The largest batch OpenFGA takes by default ({@code OPENFGA_MAX_CHECKS_PER_BATCH_CHECK}). */
  private static final int BATCH = 50;
  private static final String PARENT = "parent";

  private final OpenFgaClient client;
  private final OpenFgaConfig config;
  private final String storeId;
  private final String modelId;
  private final int modelVersion;
  private final Cache<String, Boolean> decisions;
  private final Cache<String, Set<String>> grants;
  /** OpenFGA requests made, for the benchmarks' calls-per-request figure. */
  private final AtomicLong requests = new AtomicLong();

  private OpenFgaAuthorizer(OpenFgaClient client, OpenFgaConfig config, String storeId, AuthorizationModels.Migrated model) {
    this.client = client;
    this.config = config;
    this.storeId = storeId;
    this.modelId = model.modelId();
    this.modelVersion = model.version();
    // maintenance runs on the calling thread: the common pool also completes the SDK's requests,
    // and on a small machine it has one thread
    this.decisions =
        Caffeine.newBuilder().executor(Runnable::run).maximumSize(200_000).expireAfterWrite(config.cacheLifetime()).build();
    this.grants =
        Caffeine.newBuilder().executor(Runnable::run).maximumSize(20_000).expireAfterWrite(config.cacheLifetime()).build();
  }

  /**
   * Connects to OpenFGA, creates the store when it is missing and brings its model to the newest
   * version (what {@code floe authz migrate} does).
   */
  public static OpenFgaAuthorizer start(OpenFgaConfig config) {
    try {
      OpenFgaClient client = client(config, null, null);
      String storeId = findOrCreateStore(client, config.store());
      client.setStoreId(storeId);
      AuthorizationModels.Migrated model = AuthorizationModels.migrate(client);
      client.setAuthorizationModelId(model.modelId());
      return new OpenFgaAuthorizer(client, config, storeId, model);
    } catch (Exception e) {
      throw new UnavailableException(
          e, "Cannot set up OpenFGA at %s (store %s): %s", config.endpoint(), config.store(), rootMessage(e));
    }
  }

  /** Brings the store's model to the newest version, creating the store when it is missing. */
  public static AuthorizationModels.Migrated migrate(OpenFgaConfig config) throws Exception {
    OpenFgaClient client = client(config, null, null);
    client.setStoreId(findOrCreateStore(client, config.store()));
    return AuthorizationModels.migrate(client);
  }

  private static OpenFgaClient client(OpenFgaConfig config, String storeId, String modelId) throws Exception {
    ClientConfiguration configuration =
        new ClientConfiguration()
            .apiUrl(config.endpoint().toString().replaceAll("/+$", ""))
            .readTimeout(config.requestTimeout())
            .connectTimeout(config.requestTimeout())
            .maxRetries(2);
    if (config.apiToken() != null) {
      configuration.credentials(new Credentials(new ApiToken(config.apiToken())));
    } else if (config.clientId() != null) {
      configuration.credentials(
          new Credentials(
              new ClientCredentials()
                  .clientId(config.clientId())
                  .clientSecret(config.clientSecret())
                  .apiTokenIssuer(config.tokenEndpoint())
                  .apiAudience(config.audience())
                  .scopes(config.scopes())));
    }
    if (storeId != null) {
      configuration.storeId(storeId);
    }
    if (modelId != null) {
      configuration.authorizationModelId(modelId);
    }
    return new OpenFgaClient(configuration);
  }

  private static String findOrCreateStore(OpenFgaClient client, String name) throws Exception {
    String token = null;
    do {
      ClientListStoresOptions options = new ClientListStoresOptions().pageSize(100).name(name);
      if (token != null) {
        options.continuationToken(token);
      }
      var page = client.listStores(options).get();
      for (Store store : page.getStores()) {
        if (store.getName().equals(name)) {
          return store.getId();
        }
      }
      token = page.getContinuationToken();
    } while (token != null && !token.isEmpty());
    String id = client.createStore(new CreateStoreRequest().name(name)).get().getId();
    LOG.info("created OpenFGA store {} ({})", name, id);
    return id;
  }

  @Override
  public String describe() {
    return "OpenFGA at " + config.endpoint() + ", store " + config.store() + " (" + storeId + "), model version "
        + modelVersion + " (" + modelId + "), decisions cached " + config.cacheLifetime().toSeconds() + " s";
  }

  @Override
  public boolean enforcing() {
    return true;
  }

  /** How many requests were made to OpenFGA so far. */
  @Override
  public long backendRequests() {
    return requests.get();
  }

  // ---- checks

  @Override
  public boolean[] check(Principal principal, List<Check> checks) {
    String user = FgaNames.user(principal.id());
    boolean[] allowed = new boolean[checks.size()];
    Map<String, List<Integer>> missing = new HashMap<>();
    List<ClientBatchCheckItem> items = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check check = checks.get(i);
      String key = key(user, check.relation(), check.resource().object());
      Boolean cached = decisions.getIfPresent(key);
      if (cached != null) {
        allowed[i] = cached;
        continue;
      }
      List<Integer> waiting = missing.get(key);
      if (waiting == null) {
        missing.put(key, waiting = new ArrayList<>());
        items.add(
            new ClientBatchCheckItem()
                .user(user)
                .relation(check.relation().text())
                ._object(FgaNames.object(check.resource().object()))
                .contextualTuples(parents(check.resource()))
                .correlationId(Integer.toString(items.size())));
      }
      waiting.add(i);
    }
    if (items.isEmpty()) {
      return allowed;
    }
    List<String> keys = new ArrayList<>(missing.keySet());
    // correlation ids are the items' positions; keys are looked up from the item
    Map<String, String> keyOfItem = new HashMap<>();
    for (ClientBatchCheckItem item : items) {
      keyOfItem.put(item.getCorrelationId(), user + "|" + item.getRelation() + "|" + item.getObject());
    }
    List<ClientBatchCheckSingleResponse> results;
    try {
      NonBlocking.checkCanBlock(); // a call to OpenFGA
      requests.addAndGet((items.size() + BATCH - 1) / BATCH);
      results =
          client
              .batchCheck(
                  new ClientBatchCheckRequest().checks(items),
                  new ClientBatchCheckOptions().maxBatchSize(BATCH).maxParallelRequests(4))
              .get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
              .getResult();
    } catch (Exception e) {
      throw failure(e, "check");
    }
    for (ClientBatchCheckSingleResponse result : results) {
      if (result.getError() != null) {
        throw new UnavailableException("OpenFGA could not decide a check: %s", result.getError().getMessage());
      }
      String key = keyOfItem.get(result.getCorrelationId());
      decisions.put(key, result.isAllowed());
      for (int index : missing.get(key)) {
        allowed[index] = result.isAllowed();
      }
    }
    if (keys.size() != results.size()) {
      throw new UnavailableException("OpenFGA answered %d of %d checks", results.size(), keys.size());
    }
    return allowed;
  }

  private static String key(String user, Relation relation, ObjectRef object) {
    return user + "|" + relation.text() + "|" + FgaNames.object(object);
  }

  /** The resource's place in the hierarchy, as contextual tuples: each object's parent. */
  private static List<ClientTupleKey> parents(Resource resource) {
    List<ClientTupleKey> tuples = new ArrayList<>(resource.ancestors().size());
    ObjectRef child = resource.object();
    for (ObjectRef parent : resource.ancestors()) {
      tuples.add(new ClientTupleKey().user(FgaNames.object(parent)).relation(PARENT)._object(FgaNames.object(child)));
      child = parent;
    }
    return tuples;
  }

  // ---- listings

  @Override
  public Set<String> granted(Principal principal, ObjectType type) {
    String user = FgaNames.user(principal.id());
    Set<String> cached = grants.getIfPresent(user + "|" + type.text());
    if (cached != null) {
      return cached;
    }
    Set<String> ids = new HashSet<>();
    for (String subject : subjects(user)) {
      for (Tuple tuple : read(new ClientReadRequest().user(subject)._object(type.text() + ":"))) {
        String id = FgaNames.id(tuple.getKey().getObject(), type);
        if (id != null) {
          ids.add(id);
        }
      }
    }
    Set<String> result = Set.copyOf(ids);
    grants.put(user + "|" + type.text(), result);
    return result;
  }

  /** The user and every role it is an assignee of, directly or through other roles. */
  private List<String> subjects(String user) {
    // not computed inside the cache: a lookup that waits on the network must not hold its lock
    Set<String> roles = grants.getIfPresent(user + "|roles");
    if (roles == null) {
      roles = roles(user);
      grants.put(user + "|roles", roles);
    }
    List<String> subjects = new ArrayList<>(roles.size() + 1);
    subjects.add(user);
    subjects.addAll(roles);
    return subjects;
  }

  private Set<String> roles(String user) {
    Set<String> roles = new LinkedHashSet<>();
    try {
      NonBlocking.checkCanBlock(); // a call to OpenFGA
      requests.incrementAndGet();
      for (String role :
          client
              .listObjects(new ClientListObjectsRequest().user(user).relation("assignee").type("role"))
              .get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
              .getObjects()) {
        roles.add(role + "#assignee");
      }
    } catch (Exception e) {
      throw failure(e, "list roles");
    }
    return Set.copyOf(roles);
  }

  @Override
  public List<Assignment> assignments(ObjectRef object) {
    List<Assignment> assignments = new ArrayList<>();
    for (Tuple tuple : read(new ClientReadRequest()._object(FgaNames.object(object)))) {
      String principal = FgaNames.principal(tuple.getKey().getUser());
      if (principal != null && !tuple.getKey().getRelation().equals(PARENT)) {
        assignments.add(new Assignment(principal, Relation.parse(tuple.getKey().getRelation())));
      }
    }
    return assignments;
  }

  private List<Tuple> read(ClientReadRequest request) {
    List<Tuple> tuples = new ArrayList<>();
    String token = null;
    try {
      do {
        ClientReadOptions options = new ClientReadOptions().pageSize(100);
        if (token != null) {
          options.continuationToken(token);
        }
        NonBlocking.checkCanBlock(); // a call to OpenFGA
        requests.incrementAndGet();
        ReadResponse page = client.read(request, options).get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        tuples.addAll(page.getTuples());
        token = page.getContinuationToken();
      } while (token != null && !token.isEmpty());
    } catch (Exception e) {
      throw failure(e, "read grants");
    }
    return tuples;
  }

  // ---- changes

  @Override
  public void update(ObjectRef object, List<Assignment> writes, List<Assignment> deletes) {
    if (writes.isEmpty() && deletes.isEmpty()) {
      return;
    }
    String target = FgaNames.object(object);
    ClientWriteRequest request = new ClientWriteRequest();
    if (!writes.isEmpty()) {
      request.writes(
          writes.stream()
              .map(a -> new ClientTupleKey().user(FgaNames.subject(a)).relation(a.relation().text())._object(target))
              .toList());
    }
    if (!deletes.isEmpty()) {
      request.deletes(
          deletes.stream()
              .map(a -> new ClientTupleKeyWithoutCondition().user(FgaNames.subject(a)).relation(a.relation().text())._object(target))
              .toList());
    }
    write(request);
  }

  private void write(ClientWriteRequest request) {
    try {
      NonBlocking.checkCanBlock(); // a call to OpenFGA
      requests.incrementAndGet();
      client
          .write(
              request,
              new ClientWriteOptions()
                  .onDuplicate(WriteRequestWrites.OnDuplicateEnum.IGNORE)
                  .onMissing(WriteRequestDeletes.OnMissingEnum.IGNORE))
          .get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw failure(e, "write grants");
    } finally {
      // whatever happened, decisions made before may be wrong now
      decisions.invalidateAll();
      grants.invalidateAll();
    }
  }

  @Override
  public void forget(ObjectRef object) {
    List<ClientTupleKeyWithoutCondition> deletes = new ArrayList<>();
    for (Tuple tuple : read(new ClientReadRequest()._object(FgaNames.object(object)))) {
      deletes.add(key(tuple));
    }
    if (object.type() == ObjectType.ROLE) {
      // the grants the role held, on objects of every type
      String subject = FgaNames.subject(new Assignment(Assignment.ROLE_PREFIX + object.id(), Relation.ASSIGNEE));
      for (ObjectType type : ObjectType.values()) {
        for (Tuple tuple : read(new ClientReadRequest().user(subject)._object(type.text() + ":"))) {
          deletes.add(key(tuple));
        }
      }
    }
    // a write takes at most 100 tuples
    for (int from = 0; from < deletes.size(); from += 100) {
      write(new ClientWriteRequest().deletes(deletes.subList(from, Math.min(deletes.size(), from + 100))));
    }
  }

  private static ClientTupleKeyWithoutCondition key(Tuple tuple) {
    return new ClientTupleKeyWithoutCondition()
        .user(tuple.getKey().getUser())
        .relation(tuple.getKey().getRelation())
        ._object(tuple.getKey().getObject());
  }

  private static RuntimeException failure(Exception e, String what) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof FgaApiValidationError validation) {
      return new BadRequestException(validation, "Invalid grant: %s", validation.getResponseData());
    }
    if (e instanceof TimeoutException) {
      return new UnavailableException(e, "OpenFGA did not answer (%s) in time", what);
    }
    return new UnavailableException(cause, "OpenFGA cannot %s: %s", what, rootMessage(cause));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
