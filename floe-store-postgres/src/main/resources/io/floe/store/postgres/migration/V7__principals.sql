-- The principals the server has seen (grants name them by id), and its administrator.
create table principal (
    id         text primary key,
    kind       text not null,
    name       text,
    email      text,
    first_seen timestamptz not null default now(),
    last_seen  timestamptz not null default now()
);
create index principal_name on principal (lower(name));
create index principal_email on principal (lower(email));

-- One row at most: the first authenticated caller of POST /management/v1/bootstrap.
create table server_administrator (
    singleton     boolean primary key default true check (singleton),
    principal_id  text not null,
    bootstrapped_at timestamptz not null default now()
);
