-- 0012: the member's trace of a waiting-list promotion (候补递补). When a
-- cancelled or rejected seat passes to the first member on the waiting list
-- (rt_fill_waitlist), the booking records when it happened; the member's
-- bookings page shows an in-app notice until the member has read it
-- (promotion_seen_at). There is no SMS system: the record is the notice.
ALTER TABLE retreat_bookings ADD COLUMN promoted_at TEXT;
ALTER TABLE retreat_bookings ADD COLUMN promotion_seen_at TEXT;
