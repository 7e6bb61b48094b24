-- More kinds of e-mail: tickets sent again, cancellations, refunds, a cancelled performance, and
-- "retrouver ma commande" (about several orders, so without one). What a mail says beyond its
-- order is in `payload` (JSON). A confirmation stays once per order.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN
    ('confirmation', 'resend', 'cancellation', 'refund', 'performance_cancelled', 'lookup'));
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_order_id_kind_key;
ALTER TABLE mail_outbox ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE mail_outbox ADD COLUMN payload TEXT NOT NULL DEFAULT '{"kind":"confirmation"}';
ALTER TABLE mail_outbox ALTER COLUMN payload DROP DEFAULT;
CREATE UNIQUE INDEX mail_outbox_one_confirmation ON mail_outbox (order_id) WHERE kind = 'confirmation';
-- How many mails were asked for an address lately (resends and look-ups are bounded).
CREATE INDEX mail_outbox_asked ON mail_outbox (lower(recipient), created_at)
    WHERE kind IN ('resend', 'lookup');
