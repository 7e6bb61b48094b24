-- Seats kept off one performance's sale (house seats for the mayor, press, a broken seat): a
-- claim that never expires, so no hold can take the seat, with why. Released by deleting it.
ALTER TABLE seat_claims ADD COLUMN block_reason TEXT
    CHECK (block_reason IS NULL OR block_reason IN ('house', 'press', 'technical', 'other'));
