-- The outbox: each change's events, written in the change's own transaction (see
-- PostgresEventOutbox for how they are read in order without gaps).
create table event_outbox (
    seq          bigserial primary key,
    id           uuid not null,
    type         text not null,
    warehouse_id uuid,
    object_id    uuid not null,
    created_at   timestamptz not null default now(),
    event        json not null
);
create index event_outbox_by_warehouse on event_outbox (warehouse_id, seq);
create index event_outbox_by_age on event_outbox (created_at);

-- every event up to safe_seq is final: no transaction can still add one at or below it
create table event_horizon (
    id       int primary key check (id = 1),
    safe_seq bigint not null
);
insert into event_horizon values (1, 0);

-- how far each publisher has delivered
create table event_cursor (
    publisher  text primary key,
    position   bigint not null,
    updated_at timestamptz not null default now()
);
