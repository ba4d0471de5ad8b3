-- Roles of a project. Their members and grants are kept by the authorizer, by role id; a project's
-- roles go with it.
create table role (
    id         uuid primary key,
    project_id uuid not null references project (id) on delete cascade,
    name       text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz,
    unique (project_id, name)
);
