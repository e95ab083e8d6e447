-- API keys may expire (NULL: never); an expired key is refused like a revoked one.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
