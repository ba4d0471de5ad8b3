-- The outbox: each change's events, written in the change's own transaction. A row gets its
-- position only once every transaction that could still write an earlier row has ended (see
-- PostgresEventOutbox), so positions have no gap a later commit could fill.
create table event_outbox (
    seq          bigserial primary key,
    xid          xid8 not null default pg_current_xact_id(),
    position     bigint unique,
    id           uuid not null,
    type         text not null,
    warehouse_id uuid,
    object_id    uuid not null,
    created_at   timestamptz not null default now(),
    event        json not null
);
create index event_outbox_unpositioned on event_outbox (seq) where position is null;
create index event_outbox_by_warehouse on event_outbox (warehouse_id, position) where position is not null;
create index event_outbox_by_age on event_outbox (created_at);

-- the last position given; its row lock makes one positioning at a time
create table event_position (
    id   int primary key check (id = 1),
    last bigint not null
);
insert into event_position values (1, 0);

-- how far each publisher has delivered
create table event_cursor (
    publisher  text primary key,
    position   bigint not null,
    updated_at timestamptz not null default now()
);
