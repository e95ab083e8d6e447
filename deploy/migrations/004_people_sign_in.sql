-- People sign in to the web app with an email and a password (Argon2id, in
-- libsodium's encoded form); programs keep using API keys. Sessions and
-- invitation links are random tokens stored only as SHA-256, as keys are.
ALTER TABLE users ADD COLUMN IF NOT EXISTS email text CHECK (email IS NULL OR length(email) <= 254);
ALTER TABLE users ADD COLUMN IF NOT EXISTS password_hash text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled_at timestamptz;
CREATE UNIQUE INDEX IF NOT EXISTS users_email_idx ON users (lower(email));

-- Keys get an id and a name so their owner can list and revoke them.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS name text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_id_idx ON api_keys (id);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  text NOT NULL, -- sent back by the page on every state-changing call
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_expires_idx ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS invitations (
    token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX IF NOT EXISTS invitations_user_idx ON invitations (user_id);

-- A retired question stays readable (interviews name it) but is no longer offered.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS retired_at timestamptz;
