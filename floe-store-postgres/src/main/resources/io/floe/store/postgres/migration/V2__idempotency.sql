-- Responses of mutations sent with an Idempotency-Key. status is null while the request runs.
create table idempotency_key (
    key         uuid primary key,
    request     text not null,
    status      integer,
    body        text,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index idempotency_key_age on idempotency_key (created_at);
