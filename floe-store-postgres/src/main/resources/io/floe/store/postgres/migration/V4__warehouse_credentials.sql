-- A warehouse's long-lived storage credential lives in the secret store; the warehouse keeps its
-- id only. No foreign key: the secret store is a seam and may live outside this database.
alter table warehouse add column credential_id uuid;
