-- A warehouse's change-approval webhook: {"url": ..., "timeout-ms": ..., "fail-open": ...}, or null.
alter table warehouse add column approval_webhook jsonb;
