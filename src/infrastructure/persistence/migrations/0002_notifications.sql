-- Notifications context: its own table, keyed by its own ids; user_id is a plain reference, not a
-- foreign key, because each context owns its data.
CREATE TABLE notifications (
  tenant_id text NOT NULL,
  id uuid PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL,
  recipient text NOT NULL,
  message text NOT NULL,
  source_event_id text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE INDEX notifications_user_id ON notifications (tenant_id, user_id, created_at);
