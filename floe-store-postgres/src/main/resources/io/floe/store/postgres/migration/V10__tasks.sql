-- Durable background tasks: leased with FOR UPDATE SKIP LOCKED, retried with backoff, kept after
-- they end (succeeded, failed, cancelled) so that they can be inspected and retried.
create table task (
    id           uuid primary key,
    kind         text not null,
    warehouse_id uuid,
    payload      jsonb not null,
    state        text not null check (state in ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts     int not null default 0,
    max_attempts int not null,
    due_at       timestamptz not null,
    lease_owner  text,
    lease_token  uuid,
    lease_until  timestamptz,
    last_error   text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
-- what workers look for: due pending tasks, and running ones whose lease ran out
create index task_due on task (kind, due_at) where state = 'pending';
create index task_leased on task (kind, lease_until) where state = 'running';
create index task_by_warehouse on task (warehouse_id, created_at desc, id desc);
