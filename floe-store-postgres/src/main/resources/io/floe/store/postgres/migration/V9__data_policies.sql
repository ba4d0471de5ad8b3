-- Row filters and column masks of a table, as JSON: {"row-filters": [...], "column-masks": [...]}.
-- They go with the table.
create table data_policy (
    tabular_id uuid primary key references tabular (id) on delete cascade,
    policy     jsonb not null,
    updated_at timestamptz not null default now()
);
