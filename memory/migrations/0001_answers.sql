-- Answers and what they found. Times are Unix milliseconds (UTC) so the
-- same statements run on SQLite and PostgreSQL. No log text is kept.
CREATE TABLE answers (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    source     TEXT NOT NULL,
    lang       TEXT NOT NULL,
    message_id TEXT NOT NULL,
    kind       TEXT NOT NULL
);
CREATE INDEX answers_at ON answers (at);

-- One row per distinct thing an answer found: kind is code, writer, state,
-- event or file (file only when stats.file_names allows it).
CREATE TABLE findings (
    answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (answer_id, kind, value)
);
CREATE INDEX findings_kind_value ON findings (kind, value);

-- One vote per user per answer; the user is kept only as a hash. No
-- foreign key: a click may reach one replica before the answer's record,
-- written by another, has committed.
CREATE TABLE feedback (
    answer_id TEXT NOT NULL,
    voter     TEXT NOT NULL,
    value     TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (answer_id, voter)
);
