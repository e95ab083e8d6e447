-- The language an interview is in: what was asked (a code of
-- data/languages.txt, or 'auto' to detect it from the speech) and, on its
-- transcript, the language heard with how sure the detection was.
ALTER TABLE interviews ADD COLUMN IF NOT EXISTS language text NOT NULL DEFAULT 'en'
    CHECK (language ~ '^([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*|auto)$');
ALTER TABLE transcripts ADD COLUMN IF NOT EXISTS language text;
ALTER TABLE transcripts ADD COLUMN IF NOT EXISTS language_probability double precision
    CHECK (language_probability BETWEEN 0 AND 1);
