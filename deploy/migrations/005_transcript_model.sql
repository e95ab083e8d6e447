-- Which model wrote a transcript and how it was made (e.g. the remote engine's
-- failure when the embedded one stood in), so the report can say so.
ALTER TABLE transcripts ADD COLUMN IF NOT EXISTS model text;
ALTER TABLE transcripts ADD COLUMN IF NOT EXISTS note text;
