-- Protection: a protected object is not dropped unless the drop is forced.
alter table warehouse add column protected boolean not null default false;
alter table namespace add column protected boolean not null default false;
alter table tabular add column protected boolean not null default false;

-- A warehouse's delete profile: hard (null), or soft, keeping dropped tables and views this long.
alter table warehouse add column soft_delete_seconds bigint check (soft_delete_seconds > 0);

-- Soft deletion: a dropped table or view keeps its row (and its history) until it expires. It no
-- longer holds its name, and it remembers its namespace's name, since that may be dropped (and
-- created again) meanwhile.
alter table tabular
    add column deleted_at timestamptz,
    add column expires_at timestamptz,
    add column deleted_from text[],
    add column purge_on_expiry boolean not null default false,
    add column expire_task uuid;
alter table tabular drop constraint tabular_namespace_id_name_key;
create unique index tabular_live_name on tabular (namespace_id, name) where deleted_at is null;
create index tabular_deleted on tabular (warehouse_id, deleted_at, id) where deleted_at is not null;
-- a live row's namespace cannot be dropped (the drop checks, under the namespace's row lock); a
-- soft-dropped row outlives it
alter table tabular alter column namespace_id drop not null;
alter table tabular drop constraint tabular_namespace_id_fkey;
alter table tabular add constraint tabular_namespace_id_fkey
    foreign key (namespace_id) references namespace (id) on delete set null;
alter table tabular add constraint tabular_live_has_namespace check (deleted_at is not null or namespace_id is not null);
