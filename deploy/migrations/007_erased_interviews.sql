-- The ids of erased interviews, for a while: the reaper deletes objects of
-- these ids only (an upload through a still-valid presigned URL after the
-- erase), never objects of ids it does not know were erased, so a gateway
-- pointed at an empty or older database deletes nothing.
CREATE TABLE IF NOT EXISTS erased_interviews (
    id        uuid PRIMARY KEY,
    erased_at timestamptz NOT NULL DEFAULT now()
);
