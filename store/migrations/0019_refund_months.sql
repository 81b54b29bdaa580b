-- 0019: the months a refund line's fees were counted over. A line's fee_fen
-- is every fee paid from the refund policy's first month up to the end of
-- the period (the amount refunded is what that makes due, less what was
-- refunded before), so a page that says only "2022 年下半年" would mislead:
-- the line now records its first and last month. Lines from before this
-- migration keep NULL and are shown without the months.
ALTER TABLE refund_lines ADD COLUMN months_from TEXT;
ALTER TABLE refund_lines ADD COLUMN months_to TEXT;
