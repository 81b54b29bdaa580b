-- 0014: the message centre (消息中心). A notice goes either to one member
-- (member_id) or to the officers of one org who hold a duty (org_id +
-- duty; 0 = any officer there); each reader's "read" mark is a row of
-- notice_reads. Text messages (短信) are not sent from here: a notice that
-- should also reach a phone is queued in sms_outbox, sealed, for whatever
-- gateway the deployment connects (the operations guide describes the
-- hook); until one is connected the rows wait, and nothing is lost.
CREATE TABLE notices (
    id {{PK}},
    member_id {{BIGINT}} REFERENCES members(id),
    org_id {{BIGINT}} REFERENCES orgs(id),
    duty {{BIGINT}} NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    ref_type TEXT,
    ref_id {{BIGINT}},
    created_at TEXT NOT NULL,
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX notices_member ON notices (member_id, id);
CREATE INDEX notices_org ON notices (org_id, id);
-- one notice per event: a decision notified twice (a retried request) is one
CREATE UNIQUE INDEX notices_event ON notices (kind, ref_type, ref_id, COALESCE(member_id, 0), COALESCE(org_id, 0));

CREATE TABLE notice_reads (
    id {{PK}},
    notice_id {{BIGINT}} NOT NULL REFERENCES notices(id),
    user_id {{BIGINT}} NOT NULL REFERENCES users(id),
    read_at TEXT NOT NULL,
    UNIQUE (notice_id, user_id)
);

CREATE TABLE sms_outbox (
    id {{PK}},
    notice_id {{BIGINT}} REFERENCES notices(id),
    mobile_sealed TEXT NOT NULL,
    text_sealed TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX sms_outbox_queued ON sms_outbox (status, id);
