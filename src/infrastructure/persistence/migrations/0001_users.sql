-- Users of the users context. Emails are stored normalized (trimmed, lower-cased) by the Email
-- value object; the unique index on lower(email) makes the rule hold even for rows written otherwise.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  registered_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
