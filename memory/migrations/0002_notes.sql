-- Team notes: short words a team keeps on a code, shown under the answers
-- that explain it in the same workspace or guild. The author is kept (it
-- decides who may remove a note); no log text is.
CREATE TABLE notes (
    id        TEXT PRIMARY KEY,
    platform  TEXT NOT NULL,
    workspace TEXT NOT NULL,
    code      TEXT NOT NULL,
    author    TEXT NOT NULL,
    text      TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX notes_code ON notes (platform, workspace, code, at);
