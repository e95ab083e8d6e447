// Shapes of the gateway's JSON (services/gateway/openapi.json) and of the
// report the pipeline writes. Every report field is optional or nullable:
// the UI must survive a stage that could not measure something.

export type Role = 'user' | 'admin';

export interface Me {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  created_at: string;
  rate_limit_per_min: number | null;
  effective_rate_limit_per_min: number;
  auth?: 'session' | 'api_key';
  csrf_token?: string;
  /** What a recording may be (the server's ISIM_MAX_DURATION_S, ISIM_MAX_UPLOAD_BYTES). */
  limits?: { max_duration_s: number; max_upload_bytes: number };
  /** The person's organisation and cohorts (absent from a server before organisations). */
  organisation?: Ref | null;
  cohorts?: CohortRef[];
}

export interface SessionResponse {
  user: Me;
  csrf_token: string;
}

export interface Invitation {
  email: string;
  name: string;
  expires_at: string;
}

export interface InvitationCreated {
  user: { id: string; name: string; email: string; role: Role };
  token: string;
  path: string;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  created_at: string;
  /** null: the key never expires. */
  expires_at: string | null;
}

export interface ApiKeyCreated extends ApiKey {
  api_key: string;
}

export interface User {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  created_at: string;
  invitation_pending: boolean;
  organisation?: Ref | null;
  cohorts?: CohortRef[];
}

// ---- organisations, cohorts, coaches, comments ---------------------------

/** Something named by its id: an organisation, a person. */
export interface Ref {
  id: string;
  name: string;
}

export type CohortRole = 'member' | 'coach';

/** A cohort a person is in, with their role in it (GET /v1/me, GET /v1/users). */
export interface CohortRef extends Ref {
  role: CohortRole;
}

/** GET /v1/organisations (administrators). */
export interface Organisation extends Ref {
  created_at: string;
  people: number;
  cohorts: number;
}

/** Someone in a cohort (GET /v1/cohorts/{id}: for its coaches and administrators). */
export interface CohortPerson extends Ref {
  email: string | null;
  role: CohortRole;
  added_at: string;
}

/** GET /v1/cohorts: the caller's cohorts (an administrator's: every cohort). */
export interface Cohort extends Ref {
  created_at: string;
  organisation: Ref | null;
  /** The caller's role in it; null: not in it (an administrator). */
  role: CohortRole | null;
  /** How many members (not coaches). */
  members: number;
  coaches: Ref[];
  people?: CohortPerson[];
}

/** One complete answer of a member in a cohort's overview, oldest first. */
export interface OverviewScore {
  interview_id: string;
  completed_at: string;
  score: number | null;
}

export interface OverviewPerson {
  user_id: string;
  name: string;
  email: string | null;
  answers: number;
  last_practised_at: string | null;
  mean_score: number | null;
  first_score: number | null;
  latest_score: number | null;
  mock_interviews: number;
  /** The latest 20 complete answers, oldest first. */
  scores: OverviewScore[];
}

/** GET /v1/cohorts/{id}/overview: for the cohort's coaches. */
export interface CohortOverview {
  cohort_id: string;
  name: string;
  members: number;
  /** Members with at least one complete answer. */
  practised: number;
  mean_score: number | null;
  people: OverviewPerson[];
}

/** A comment on a report, at a moment of the recording (at_s) or on the whole answer (null). */
export interface Comment {
  id: string;
  interview_id: string;
  at_s: number | null;
  body: string;
  created_at: string;
  author: { id: string | null; name: string | null; is_candidate: boolean | null };
}

export type Category = 'behavioural' | 'technical' | 'situational' | 'general';

export interface Question {
  id: string;
  category: Category | string;
  role: string;
  language?: string;
  text: string;
  talking_points: string[];
  retired?: boolean;
  created_at?: string;
  updated_at?: string;
  /** Who the question is for (absent from a server before levels). */
  level?: Level;
  /** A STAR answer is expected. */
  star?: boolean;
  /** Who wrote it last: the shipped bank, an administrator, an import. */
  source?: 'bank' | 'admin' | 'import' | string;
  /** An organisation's own question, offered to its people only; null: the shared bank (absent from a server before organisations). */
  organisation_id?: string | null;
}

export interface QuestionInput {
  id?: string;
  category: string;
  role: string;
  /** A code of GET /v1/languages; left out, the server's default (or, on an update, unchanged). */
  language?: string;
  text: string;
  talking_points: string[];
  retired?: boolean;
  /** Left out: any level for a new question, unchanged on an update. */
  level?: Level;
  /** A STAR answer is expected; left out, the server's default (behavioural questions) or unchanged. */
  star?: boolean;
  /** Administrators: an organisation's id, or null for the shared bank; left out, unchanged (a coach's is always their organisation). */
  organisation_id?: string | null;
}

/** A language the server transcribes (GET /v1/languages), e.g. {"code": "pt-BR", "name": "Português (Brasil)"}. */
export interface Language {
  code: string;
  name: string;
}

export interface Languages {
  languages: Language[];
  /** The server's default code. */
  default: string;
  /** Whether "auto" (detection from the speech) may be asked. */
  auto: boolean;
  /** false: the server has no GET /v1/languages (it predates a language per
   * interview): English only, and no "language" is sent when creating one. */
  perInterview: boolean;
}

/** What a candidate may ask for: a language code, or detection. */
export const AUTO_LANGUAGE = 'auto';

export type InterviewStatus = 'created' | 'uploaded' | 'processing' | 'complete' | 'failed';

export interface StageInfo {
  state: 'started' | 'finished' | 'failed' | string;
  reason?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
  duration_s?: number | null;
}

export interface InterviewCreated {
  id: string;
  status: InterviewStatus;
  question: string;
  question_id: string | null;
  upload?: { method: string; url: string; key: string; expires_in: number };
}

export interface InterviewSummary {
  id: string;
  question: string;
  question_id: string | null;
  status: InterviewStatus;
  /** What was asked for: a language code or "auto" (absent on servers before languages). */
  language?: string;
  /** When "auto": the language found once transcribed, and how sure (0..1). */
  detected_language?: string | null;
  language_probability?: number | null;
  failure_reason: string | null;
  created_at: string;
  completed_at: string | null;
  score?: number | null;
}

export interface Interview extends InterviewSummary {
  /** Whose interview it is (a coach reads their members'); absent from older servers. */
  user?: Ref;
  updated_at?: string;
  stages?: Record<string, StageInfo>;
  report: Report | null;
  video_url?: string | null;
  poster_url?: string | null;
  /** This person's answers to the same question, this one included, oldest first (absent from older servers). */
  attempts?: Attempt[] | null;
}

export interface InterviewPage {
  interviews: InterviewSummary[];
  next_cursor: string | null;
}

/** The figures GET /v1/history gives of each answer (services/gateway/README.md). */
export type HistoryMetricKey =
  | 'score' | 'delivery_score' | 'content_score' | 'on_camera_score'
  | 'pace_wpm' | 'fillers_per_100_words' | 'hedges_per_100_words' | 'facing_camera_ratio';

/** One answer's figures; null: the report does not have it, or it was not measured. */
export type HistoryMetrics = Record<HistoryMetricKey, number | null>;

/** Which way a figure is better; in_range: within the rubric's range (pace). */
export type Better = 'higher' | 'lower' | 'in_range';

/** One figure across the answers returned, oldest first (null: no value; slope: fewer than 2). */
export interface HistoryTrend {
  count: number;
  first: number | null;
  last: number | null;
  best: number | null;
  mean: number | null;
  slope: number | null;
  better: Better;
}

export interface HistoryItem {
  interview_id: string;
  question: string;
  question_id: string | null;
  completed_at: string;
  score: number | null;
  parts?: { delivery?: number | null; content?: number | null; on_camera?: number | null } | null;
  /** Absent from a server older than the metrics. */
  metrics?: Partial<HistoryMetrics> | null;
}

/** GET /v1/history: the latest 500 complete interviews, oldest first, and the trend of each figure. */
export interface History {
  history: HistoryItem[];
  trends?: Partial<Record<HistoryMetricKey, HistoryTrend>>;
  /** More complete interviews exist than were returned. */
  truncated?: boolean;
}

/** One server-sent progress event (data of `event: progress|complete|failed|deleted|snapshot`). */
export interface ProgressEvent {
  interview_id?: string;
  event: string;
  status?: InterviewStatus;
  topic?: string;
  stage?: string;
  state?: string;
  reason?: string | null;
}

// ---- report -------------------------------------------------------------

export interface Word {
  word: string;
  start: number;
  end: number;
  confidence?: number;
}

export interface Span {
  start: number;
  end: number;
  index?: number;
}

export interface FillerItem extends Span { word: string }
export interface HedgeItem extends Span { phrase: string }
export interface NoninclusiveItem extends Span { term: string; suggestion?: string | null }
export interface PauseItem { start: number; end: number; duration_s?: number }

export interface Counted<T> {
  count?: number;
  per_100_words?: number;
  items?: T[];
}

export interface StarPart {
  cues?: { cue: string; start: number; end: number }[];
  share?: number | null;
  first_s?: number | null;
}

export interface Delivery {
  word_count?: number;
  duration_s?: number;
  filler_count?: number;
  fillers_per_100_words?: number;
  fillers?: FillerItem[];
  wpm?: number | null;
  articulation_wpm?: number | null;
  pace_windows?: { start: number; end: number; words: number; wpm: number | null }[];
  pauses?: { count?: number; total_s?: number; longest_s?: number; long?: PauseItem[] };
  hedges?: Counted<HedgeItem>;
  noninclusive?: Counted<NoninclusiveItem>;
  star?: {
    situation?: StarPart; task?: StarPart; action?: StarPart; result?: StarPart;
    present?: number; order?: string; in_order?: boolean;
  } | null;
}

export interface Measure {
  value?: number | null;
  threshold?: number | { min?: number; max?: number } | null;
  ok?: boolean;
  valid?: boolean;
  reason?: string;
}

export interface CameraSecond {
  t: number;
  face?: number | null;
  facing?: number | null;
  brightness?: number | null;
  motion?: number | null;
}

export interface VoiceSecond {
  t: number;
  loudness?: number | null;
  pitch_hz?: number | null;
  speaking?: number | null;
}

export interface Criterion {
  metric: string;
  value?: number | null;
  score: number | null;
  weight?: number;
  reason?: string;
}

export interface ScorePart {
  weight?: number;
  score?: number | null;
  reason?: string;
  criteria?: Criterion[];
}

export interface Tip {
  message: string;
  part?: string;
  metric?: string;
  value?: number | null;
  score?: number | null;
  evidence?: { start: number; end: number; detail?: string; words?: string }[];
}

export interface AiClaim {
  claim: string;
  spans: { start: number; end: number; words?: string }[];
}

export interface AiReview {
  status: 'ok' | 'unavailable' | string;
  model?: string;
  reason?: string;
  strengths?: AiClaim[];
  improvements?: AiClaim[];
  outline?: string[];
}

export interface TalkingPoint {
  text: string;
  covered: boolean;
  coverage?: number;
  matched?: { term: string; start: number }[];
  missing?: string[];
}

export interface Report {
  version?: number;
  /** The transcript's language (a code); tips and evidence are written in it. */
  language?: string | null;
  question?: string;
  duration_s?: number | null;
  media?: { duration_s?: number | null; has_video?: boolean; has_audio?: boolean } | null;
  transcript?: { engine?: string; model?: string; note?: string; text?: string; words?: Word[] } | null;
  delivery?: Delivery | null;
  on_camera?: {
    has_video?: boolean;
    seconds?: CameraSecond[];
    on_camera?: Record<string, Measure>;
  } | null;
  voice?: {
    has_audio?: boolean;
    seconds?: VoiceSecond[];
    pauses?: Measure & { list?: PauseItem[]; count?: number };
  } | null;
  relevance?: {
    similarity?: number | null;
    covered_share?: number | null;
    source?: string;
    talking_points?: TalkingPoint[];
    /* By meaning (sentence embeddings); similarity null with a reason when not measured. */
    semantic?: {
      similarity: number | null;
      reason?: string;
      source?: string;
      best_sentence?: { similarity: number; start: number; text: string } | null;
      talking_points?: { text: string; similarity: number | null }[];
    };
  } | null;
  score?: {
    overall?: number | null;
    rubric?: string;
    parts?: { delivery?: ScorePart | null; content?: ScorePart | null; on_camera?: ScorePart | null };
    notes?: string[];
  } | null;
  tips?: Tip[] | null;
  ai_review?: AiReview | null;
  notes?: string[];
}

// ---- question bank levels, retakes, mock interviews ----------------------

/** Who a bank question is for. */
export type Level = 'any' | 'entry' | 'mid' | 'senior';
export const LEVELS: Level[] = ['any', 'entry', 'mid', 'senior'];

/** One answer to the same question (GET /v1/interviews/{id} "attempts"). */
export interface Attempt {
  id: string;
  created_at: string;
  status: InterviewStatus | string;
  /** The report's score object once complete. */
  score: Report['score'] | null;
}

/** POST /v1/question-bank's answer. */
export interface QuestionImportResult {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** How many questions of each kind a mock interview draws; role: the role's own questions. */
export type MockPlanKind = 'general' | 'behavioural' | 'situational' | 'technical' | 'role';
export type MockPlan = Partial<Record<MockPlanKind, number>>;

export interface MockInterviewCreate {
  question_ids?: string[];
  role?: string;
  level?: Level;
  plan?: MockPlan;
  language?: string;
  thinking_s?: number;
  answer_max_s?: number;
  title?: string;
}

export interface MockQuestion {
  position: number;
  question: Question;
  interview_id: string | null;
  /** The answer's interview status (null: not answered yet). */
  status: InterviewStatus | null;
  /** The answer's overall score once complete. */
  score: number | null;
}

export interface MockInterview {
  id: string;
  title: string;
  role: string | null;
  level: string | null;
  language: string;
  thinking_s: number;
  answer_max_s: number;
  status: 'in_progress' | 'finished';
  created_at: string;
  finished_at: string | null;
  questions: MockQuestion[];
  /** The first question without an answer (null when all have one, or finished). */
  next: { position: number; question: Question } | null;
}

export interface MockInterviewSummary {
  id: string;
  title: string;
  role: string | null;
  level: string | null;
  language: string;
  status: 'in_progress' | 'finished';
  created_at: string;
  finished_at: string | null;
  questions: number;
  answered: number;
}

export interface ScoreChange {
  first: number;
  last: number;
  delta: number;
}

/** A criterion whose score moved by 5 or more from the first complete answer to the last. */
export interface CriterionChange {
  metric: string;
  part: string;
  first_value: number | null;
  last_value: number | null;
  first_score: number;
  last_score: number;
  delta_score: number;
}

export interface MockChange {
  from_position: number;
  to_position: number;
  overall: ScoreChange;
  parts: Record<string, ScoreChange>;
  improved: CriterionChange[];
  dropped: CriterionChange[];
}

export interface MockMoment {
  position: number;
  interview_id: string;
  start: number | null;
  end: number | null;
}

export interface MockTip {
  metric: string;
  part: string | null;
  /** The latest answer's wording, in the answers' language. */
  message: string;
  /** In how many answers it came up. */
  answers: number;
  points_lost: number;
  moments: MockMoment[];
}

export interface MockAnswerRow {
  position: number;
  question_id: string;
  question: string;
  interview_id: string | null;
  status: InterviewStatus | null;
  failure_reason: string | null;
  overall: number | null;
  parts: Record<string, number | null>;
}

/** GET /v1/mock-interviews/{id}/report. */
export interface MockReport {
  mock_interview_id: string;
  status: 'in_progress' | 'finished';
  title: string;
  questions: number;
  answered: number;
  complete: number;
  processing: number;
  failed: number;
  overall: number | null;
  parts: Record<string, number>;
  answers: MockAnswerRow[];
  change: MockChange | null;
  top_tips: MockTip[];
}
