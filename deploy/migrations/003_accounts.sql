-- Accounts: users with a role, API keys stored only as SHA-256 hashes (the
-- keys are 32 random bytes, so a plain hash is enough), webhooks and their
-- deliveries; every interview belongs to a user.
CREATE TABLE IF NOT EXISTS users (
    id                 uuid PRIMARY KEY,
    name               text NOT NULL,
    role               text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    rate_limit_per_min integer CHECK (rate_limit_per_min >= 0), -- NULL: ISIM_RATE_LIMIT_PER_MIN; 0: unlimited
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
    key_hash     text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_keys_user_idx ON api_keys (user_id);

ALTER TABLE interviews ADD COLUMN IF NOT EXISTS user_id uuid REFERENCES users(id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS interviews_user_created_idx ON interviews (user_id, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS webhooks (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    url        text NOT NULL,
    secret     text NOT NULL, -- HMAC-SHA256 key; kept in clear because the gateway signs with it
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS webhooks_user_idx ON webhooks (user_id);

-- One row per (webhook, interview, event): created when an interview of the
-- webhook's user ends, retried with backoff until delivered or given up.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    webhook_id      uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    interview_id    uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    event           text NOT NULL CHECK (event IN ('complete', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text,
    PRIMARY KEY (webhook_id, interview_id, event)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL;
