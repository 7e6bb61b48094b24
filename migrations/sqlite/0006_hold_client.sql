-- Whose hold it is (an online client's address key, NULL for staff and tools), so that what one
-- client may hold of a performance at once can be counted in the transaction that claims.
ALTER TABLE holds ADD COLUMN client TEXT;
CREATE INDEX holds_client ON holds (client, performance_id, status, expires_at) WHERE client IS NOT NULL;
