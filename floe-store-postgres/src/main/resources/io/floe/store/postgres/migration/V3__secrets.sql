-- Long-lived credentials, encrypted with AES-256-GCM under a versioned master key, so that the
-- key can be rotated without downtime: each row says which key version encrypted it.
create table secret (
    id          uuid primary key,
    key_version integer not null,
    nonce       bytea not null,
    ciphertext  bytea not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz
);
create index secret_key_version on secret (key_version);
