-- A scan's nonce is unique per door access, not across the venue: two phones may draw the same
-- one, and a nonce seen with another access says nothing about this one.
ALTER TABLE admissions DROP CONSTRAINT admissions_nonce_key;
CREATE UNIQUE INDEX admissions_token_nonce ON admissions (token_id, nonce);
