-- Reports are read per workspace: a workspace's answers by time.
CREATE INDEX answers_scope ON answers (platform, workspace, at);
