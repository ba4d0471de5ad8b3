-- A claim belongs to the request holding its token; the change that a request makes marks its
-- claim applied in the change's own transaction, so that a retry after a crash is answered from
-- what the database holds (never run twice, never left blocked until the key expires).
alter table idempotency_key add column token uuid;
alter table idempotency_key add column applied boolean not null default false;
alter table idempotency_key add column claimed_at timestamptz not null default now();
