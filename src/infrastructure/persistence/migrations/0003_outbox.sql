-- Transactional outbox: events are written here in the transaction that changes their aggregate,
-- and a relay publishes them to the bus. Rows are claimed with leases, never by "last id seen"
-- (identity values commit out of order, so such a cursor skips rows).
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  event_id text NOT NULL UNIQUE,
  event_name text NOT NULL,
  aggregate_id text NOT NULL,
  -- The bus key (tenant and aggregate), decided with the rest of the message when it is written.
  message_key text NOT NULL,
  topic text NOT NULL,
  payload bytea NOT NULL,
  headers jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- pending -> published, or pending -> dead after too many failed attempts (requeue sets pending).
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  leased_by text,
  leased_until timestamptz,
  last_error text,
  published_at timestamptz
);

-- The relay's working set, so published rows kept for the retention period cost it nothing: pending
-- rows in claim order, and unpublished rows per aggregate (an earlier one holds back the later ones).
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_unpublished ON outbox (aggregate_id, id) WHERE status <> 'published';
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE status = 'published';

-- Wakes the relays when new events commit (NOTIFY is delivered at commit, once per transaction).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
