-- Users of the users context, per tenant. Emails are stored normalized (trimmed, lower-cased) by the
-- Email value object; the unique index on lower(email) makes the rule hold even for rows written
-- otherwise. An email is unique within its tenant: two tenants may each have the same person.
CREATE TABLE users (
  tenant_id text NOT NULL,
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  registered_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX users_email_unique ON users (tenant_id, lower(email));
