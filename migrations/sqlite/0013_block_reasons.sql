-- Why a blocked seat is kept off the sale (house seats, press, technical desk, other): the
-- seat-map editor sets it with the block; NULL for a seat on sale.
ALTER TABLE seats ADD COLUMN block_reason TEXT
    CHECK (block_reason IS NULL OR block_reason IN ('house', 'press', 'technical', 'other'));
