-- Organisations (a school, a career service: one installation may serve
-- several), their cohorts of people, and who coaches each cohort. A coach
-- sees the interviews of the members of the cohorts they coach, and nobody
-- else's; comments on a report are seen by its candidate and their coaches.
CREATE TABLE IF NOT EXISTS organisations (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A person belongs to at most one organisation.
ALTER TABLE users ADD COLUMN IF NOT EXISTS organisation_id uuid REFERENCES organisations(id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS users_organisation_idx ON users (organisation_id);

CREATE TABLE IF NOT EXISTS cohorts (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

CREATE TABLE IF NOT EXISTS cohort_members (
    cohort_id uuid NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role      text NOT NULL CHECK (role IN ('member', 'coach')),
    added_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX IF NOT EXISTS cohort_members_user_idx ON cohort_members (user_id, role);

-- A comment on a report, optionally at a moment of the recording.
CREATE TABLE IF NOT EXISTS report_comments (
    id           uuid PRIMARY KEY,
    interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    author_id    uuid REFERENCES users(id) ON DELETE SET NULL,
    at_s         double precision CHECK (at_s >= 0),
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS report_comments_interview_idx ON report_comments (interview_id, created_at);

-- An organisation's own questions: offered to its people only.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE;
