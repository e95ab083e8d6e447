-- A mock interview: questions answered in a row, each answer an interview
-- of its own. The questions are fixed when it is created (chosen, or drawn
-- from the bank); an answer is attached to its place as it is recorded.
CREATE TABLE IF NOT EXISTS mock_interviews (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title        text NOT NULL DEFAULT '',
    role         text,
    level        text CHECK (level IN ('any', 'entry', 'mid', 'senior')),
    language     text NOT NULL,
    thinking_s   integer NOT NULL CHECK (thinking_s BETWEEN 0 AND 600),
    answer_max_s integer NOT NULL CHECK (answer_max_s BETWEEN 10 AND 3600),
    status       text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'finished')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX IF NOT EXISTS mock_interviews_user_created_idx ON mock_interviews (user_id, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS mock_interview_questions (
    mock_id      uuid NOT NULL REFERENCES mock_interviews(id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position BETWEEN 1 AND 20),
    -- Questions are retired, not deleted; only an organisation's own go,
    -- with the organisation, and so do the places that asked them.
    question_id  text NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    interview_id uuid REFERENCES interviews(id) ON DELETE SET NULL,
    answered_at  timestamptz,
    PRIMARY KEY (mock_id, position)
);
CREATE UNIQUE INDEX IF NOT EXISTS mock_interview_questions_interview_idx
    ON mock_interview_questions (interview_id) WHERE interview_id IS NOT NULL;
-- A user's answers to one question, for comparing retakes.
CREATE INDEX IF NOT EXISTS interviews_user_question_idx ON interviews (user_id, question_id, created_at);
