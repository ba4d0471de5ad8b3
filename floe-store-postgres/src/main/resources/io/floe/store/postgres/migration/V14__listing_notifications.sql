-- Servers cache namespace and table listings; every change to what a listing shows (a namespace
-- or table or view created, dropped, renamed, moved, soft-deleted or undropped, by any code path
-- or server) tells every server's listener, on the channel that table pointer changes use.
-- PostgreSQL sends notifications at commit, once per transaction for equal payloads.
create function floe_listing_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('floe_tabular', 'listing');
  return null;
end;
$$;

create trigger namespace_listing after insert or delete on namespace
  for each statement execute function floe_listing_changed();

create trigger tabular_listing_membership after insert or delete on tabular
  for each statement execute function floe_listing_changed();

create trigger tabular_listing_moves after update of name, namespace_id, deleted_at on tabular
  for each row
  when (old.name is distinct from new.name
        or old.namespace_id is distinct from new.namespace_id
        or old.deleted_at is distinct from new.deleted_at)
  execute function floe_listing_changed();
