-- Inbox: one row per (consumer, event) handled, written in the transaction of the handler's
-- effects, so a redelivered event is recognised and changes nothing.
CREATE TABLE inbox (
  tenant_id text NOT NULL,
  consumer text NOT NULL,
  event_id text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE INDEX inbox_handled_at ON inbox (handled_at);
