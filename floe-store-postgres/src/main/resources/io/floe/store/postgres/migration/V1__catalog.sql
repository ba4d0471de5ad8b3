-- Floe's catalog: projects own warehouses; warehouses own namespaces; namespaces own tables and
-- views ("tabulars", which share one name space per namespace).

create table project (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz
);

create table warehouse (
    id              uuid primary key,
    project_id      uuid not null references project (id),
    name            text not null,
    storage_profile jsonb not null,
    extra_locations text[] not null default '{}',
    created_at      timestamptz not null default now(),
    updated_at      timestamptz,
    unique (project_id, name)
);

create table namespace (
    id           uuid primary key,
    warehouse_id uuid not null references warehouse (id),
    name         text[] not null,
    parent_name  text[] not null,
    properties   jsonb not null default '{}',
    created_at   timestamptz not null default now(),
    updated_at   timestamptz,
    unique (warehouse_id, name)
);
create index namespace_children on namespace (warehouse_id, parent_name, name);

-- For tables, "metadata" holds the metadata JSON without snapshots and logs, which live in the
-- tables below, so that a commit writes rows in proportion to what changed, not to history.
-- For views it holds the whole view metadata JSON.
create table tabular (
    id                uuid primary key,
    warehouse_id      uuid not null references warehouse (id),
    namespace_id      uuid not null references namespace (id),
    name              text not null,
    kind              text not null check (kind in ('table', 'view')),
    metadata_location text not null,
    location          text not null,
    metadata          text not null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz,
    unique (namespace_id, name)
);
create index tabular_by_warehouse on tabular (warehouse_id);

create table table_snapshot (
    tabular_id  uuid not null references tabular (id) on delete cascade,
    snapshot_id bigint not null,
    ordinal     bigserial not null,
    body        text not null,
    primary key (tabular_id, snapshot_id)
);
create index table_snapshot_order on table_snapshot (tabular_id, ordinal);

create table table_snapshot_log (
    tabular_id   uuid not null references tabular (id) on delete cascade,
    ordinal      bigserial not null,
    timestamp_ms bigint not null,
    snapshot_id  bigint not null,
    primary key (tabular_id, ordinal)
);

create table table_metadata_log (
    tabular_id   uuid not null references tabular (id) on delete cascade,
    ordinal      bigserial not null,
    timestamp_ms bigint not null,
    file         text not null,
    primary key (tabular_id, ordinal)
);
