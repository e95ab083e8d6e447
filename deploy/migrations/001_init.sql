-- Interviews, their stage progress, and the parts of the report as they arrive.
CREATE TABLE IF NOT EXISTS interviews (
    id             uuid PRIMARY KEY,
    question       text NOT NULL,
    status         text NOT NULL DEFAULT 'created'
                   CHECK (status IN ('created', 'uploaded', 'processing', 'complete', 'failed')),
    failure_reason text,
    raw_key        text NOT NULL,
    video_key      text,
    audio_key      text,
    poster_key     text,
    probe          jsonb,
    trace_id       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz
);
CREATE INDEX IF NOT EXISTS interviews_created_idx ON interviews (created_at DESC);

CREATE TABLE IF NOT EXISTS stage_events (
    interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    stage        text NOT NULL,
    state        text NOT NULL CHECK (state IN ('started', 'finished', 'failed')),
    reason       text,
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (interview_id, stage)
);

CREATE TABLE IF NOT EXISTS transcripts (
    interview_id uuid PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    engine       text NOT NULL,
    text         text NOT NULL,
    words        jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS metrics (
    interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('video', 'text')),
    data         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (interview_id, kind)
);

CREATE TABLE IF NOT EXISTS reports (
    interview_id uuid PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    report       jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
