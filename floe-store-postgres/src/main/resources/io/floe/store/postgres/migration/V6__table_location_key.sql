-- A table's location in a comparable form, ending in '/', in byte order whatever the database's
-- collation: the tables around a new location are then found by index lookups (its ancestors, by
-- equality) and a range scan (its descendants), not by scanning every table of the warehouse.
alter table tabular add column location_key text collate "C";
update tabular
    set location_key = regexp_replace(regexp_replace(rtrim(location, '/'), '^s3[an]://', 's3://'), '^file:///', 'file:/') || '/'
    where kind = 'table';
create index tabular_location_key on tabular (warehouse_id, location_key) where kind = 'table';
