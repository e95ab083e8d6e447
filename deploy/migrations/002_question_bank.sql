-- The question bank: questions by category and role, with the talking points
-- a strong answer covers (used for relevance). Interviews may name one.
CREATE TABLE IF NOT EXISTS questions (
    id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    category       text NOT NULL CHECK (category IN ('behavioural', 'technical', 'situational', 'general')),
    role           text NOT NULL DEFAULT 'any',
    language       text NOT NULL DEFAULT 'en',
    text           text NOT NULL,
    talking_points jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(talking_points) = 'array'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS questions_category_role_idx ON questions (category, role);

ALTER TABLE interviews ADD COLUMN IF NOT EXISTS question_id text REFERENCES questions(id) ON DELETE SET NULL;

INSERT INTO questions (id, category, role, text, talking_points) VALUES
 ('tell-me-about-yourself', 'general', 'any', 'Tell me about yourself.',
  '["current role and responsibilities", "relevant experience and skills", "a key achievement", "why this role and company"]'),
 ('hard-problem', 'behavioural', 'any', 'Tell me about a time you solved a hard problem.',
  '["the situation and why the problem was hard", "your task and responsibility", "the actions you took and why", "the measurable result", "what you learned"]'),
 ('conflict-with-colleague', 'behavioural', 'any', 'Describe a time you disagreed with a colleague. How did you handle it?',
  '["the disagreement and its stakes", "listening to the other view", "how you reached a resolution", "the outcome for the team", "what you would do again"]'),
 ('failure', 'behavioural', 'any', 'Tell me about a time you failed.',
  '["a real failure you owned", "its cause", "what you did to recover", "the lesson learned", "how you applied it later"]'),
 ('leadership', 'behavioural', 'any', 'Give an example of a time you led a team or a project.',
  '["the goal and the team", "how you set direction", "how you handled obstacles", "the result with numbers", "how you supported people"]'),
 ('tight-deadline', 'situational', 'any', 'What would you do if you could not meet a deadline?',
  '["tell stakeholders early", "assess scope and priorities", "propose options and trade-offs", "ask for help or resources", "prevent it next time"]'),
 ('angry-customer', 'situational', 'any', 'How would you handle an angry customer?',
  '["stay calm and listen", "acknowledge the problem", "find a solution", "follow up", "learn from the complaint"]'),
 ('why-this-company', 'general', 'any', 'Why do you want to work here?',
  '["what you know about the company", "how the role fits your skills", "your motivation", "what you will contribute"]'),
 ('strengths-weaknesses', 'general', 'any', 'What are your greatest strength and your greatest weakness?',
  '["a strength with an example", "a real weakness", "what you do to improve it", "evidence of progress"]'),
 ('design-url-shortener', 'technical', 'software-engineer', 'How would you design a URL shortener?',
  '["requirements and scale", "key generation and collisions", "storage and data model", "caching and read path", "redirects, analytics and expiry"]'),
 ('debug-production', 'technical', 'software-engineer', 'Walk me through how you would debug a slow production service.',
  '["define and measure the slowness", "check recent changes", "metrics, logs and traces", "form and test hypotheses", "fix, verify and prevent recurrence"]'),
 ('data-cleaning', 'technical', 'data-analyst', 'How do you clean and validate a messy data set?',
  '["understand the source and meaning", "missing values and duplicates", "outliers and invalid values", "document the steps", "validate against expectations"]')
ON CONFLICT (id) DO NOTHING;
