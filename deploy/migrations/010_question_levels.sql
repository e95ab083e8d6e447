-- The question bank grows beyond a handful: each question has a level (who it
-- is for), whether a STAR answer is expected, and who wrote it last (the bank
-- shipped in data/<language>/questions.json, an administrator, an import):
-- a new release's bank updates only the questions it wrote last.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS level text NOT NULL DEFAULT 'any'
    CHECK (level IN ('any', 'entry', 'mid', 'senior'));
ALTER TABLE questions ADD COLUMN IF NOT EXISTS star boolean;
UPDATE questions SET star = (category = 'behavioural') WHERE star IS NULL;
ALTER TABLE questions ALTER COLUMN star SET DEFAULT false;
ALTER TABLE questions ALTER COLUMN star SET NOT NULL;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'admin'
    CHECK (source IN ('bank', 'admin', 'import'));
-- The questions migrations 002 and 008 shipped (each migration's rows share
-- the time of its transaction) that nobody has edited since.
UPDATE questions SET source = 'bank'
 WHERE created_at IN (SELECT created_at FROM questions WHERE id IN ('tell-me-about-yourself', 'pt-fale-sobre-voce'))
   AND updated_at = created_at;
CREATE INDEX IF NOT EXISTS questions_role_level_idx ON questions (role, level);
