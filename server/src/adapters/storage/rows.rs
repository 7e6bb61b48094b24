//! Row shapes the two engines share (no instants in them, so the same `FromRow` decodes
//! either), and their conversions to the ports' types.
use crate::ports::{
    CounterPaymentRow, HallPlan, OrderItemRow, OrderSummaryRow, SeatInfo, TicketRow, TicketStatus,
};
use app::domain::pricing::GridCell;
use app::domain::{Cents, TicketNumber};
use app::dto::{OrderStatus, SeatLabel, Stage, Tariff, Zone};

#[derive(sqlx::FromRow)]
pub(super) struct HallRow {
    width: i64,
    height: i64,
    stage_x: i64,
    stage_y: i64,
    stage_w: i64,
    stage_h: i64,
    stage_label: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct SeatRow {
    id: i64,
    zone_id: i64,
    zone: String,
    row_label: String,
    number: i64,
    x: i64,
    y: i64,
    category_id: i64,
    category: i64,
    accessible: bool,
    companion: bool,
    restricted_view: bool,
    blocked: bool,
    block_reason: Option<String>,
}

pub(super) fn hall_plan(
    hall_id: i64,
    h: HallRow,
    zones: Vec<(i64, String)>,
    seats: Vec<SeatRow>,
) -> HallPlan {
    HallPlan::new(
        hall_id,
        h.width,
        h.height,
        Stage {
            x: h.stage_x,
            y: h.stage_y,
            w: h.stage_w,
            h: h.stage_h,
            label: h.stage_label,
        },
        zones
            .into_iter()
            .map(|(id, name)| Zone { id, name })
            .collect(),
        seats
            .into_iter()
            .map(|s| SeatInfo {
                id: s.id,
                zone_id: s.zone_id,
                zone: s.zone,
                row: s.row_label,
                number: s.number,
                x: s.x,
                y: s.y,
                category_id: s.category_id,
                category: s.category,
                accessible: s.accessible,
                companion: s.companion,
                restricted_view: s.restricted_view,
                blocked: s.blocked,
                block_reason: s
                    .block_reason
                    .as_deref()
                    .and_then(app::domain::plan::BlockReason::parse),
            })
            .collect(),
    )
}

#[derive(sqlx::FromRow)]
pub(super) struct GridRow {
    category_id: Option<i64>,
    code: String,
    label_fr: String,
    label_en: String,
    proof_required: bool,
    eligibility_fr: String,
    eligibility_en: String,
    price_cents: i64,
}

impl From<GridRow> for GridCell {
    fn from(r: GridRow) -> GridCell {
        GridCell {
            category_id: r.category_id,
            tariff: Tariff {
                code: r.code,
                label: r.label_fr,
                label_en: r.label_en,
                price_cents: r.price_cents,
                proof_required: r.proof_required,
                eligibility: r.eligibility_fr,
                eligibility_en: r.eligibility_en,
            },
        }
    }
}

pub(super) fn seat_label(
    zone: Option<String>,
    row: Option<String>,
    number: Option<i64>,
) -> Option<SeatLabel> {
    match (zone, row, number) {
        (Some(zone), Some(row), Some(number)) => Some(SeatLabel { zone, row, number }),
        _ => None,
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ItemRow {
    seat_id: Option<i64>,
    zone: Option<String>,
    row_label: Option<String>,
    number: Option<i64>,
    category: Option<i64>,
    tariff_code: String,
    label_fr: String,
    proof_required: bool,
    price_cents: i64,
}

impl From<ItemRow> for OrderItemRow {
    fn from(r: ItemRow) -> OrderItemRow {
        OrderItemRow {
            seat_id: r.seat_id,
            seat: seat_label(r.zone, r.row_label, r.number),
            category: r.category,
            tariff_code: r.tariff_code,
            tariff_label: r.label_fr,
            proof_required: r.proof_required,
            price: Cents(r.price_cents),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct OrderTicketRow {
    id: i64,
    uid: i64,
    number: i64,
    venue_code: String,
    zone: Option<String>,
    row_label: Option<String>,
    seat_number: Option<i64>,
    category: Option<i64>,
    tariff_code: String,
    label_fr: String,
    proof_required: bool,
    price_cents: i64,
    holder_name: String,
    status: String,
    code: String,
}

impl From<OrderTicketRow> for TicketRow {
    fn from(r: OrderTicketRow) -> TicketRow {
        TicketRow {
            id: r.id,
            uid: r.uid,
            number: TicketNumber::new(&r.venue_code, &r.tariff_code, r.number),
            seat: seat_label(r.zone, r.row_label, r.seat_number),
            category: r.category,
            tariff_code: r.tariff_code,
            tariff_label: r.label_fr,
            proof_required: r.proof_required,
            price: Cents(r.price_cents),
            holder_name: r.holder_name,
            status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::Cancelled),
            code: r.code,
        }
    }
}

/// A row of `sql::BUYERS`.
pub(super) type BuyerFields = (String, String, String, String, i64, i64, bool);

pub(super) fn buyer_row(
    (order_id, reference, name, email, total_cents, tickets, refund_due): BuyerFields,
) -> crate::ports::BuyerRow {
    crate::ports::BuyerRow {
        order_id,
        reference,
        name,
        email,
        total_cents,
        tickets,
        refund_due,
    }
}

/// A row of `sql::REFUNDS_DUE`, its instants as the engine gives them.
pub(super) type RefundFields<T> = (String, String, String, String, i64, bool, i64, String, T, T);

pub(super) fn refund_row<T>(
    r: RefundFields<T>,
    secs: impl Fn(T) -> i64,
) -> crate::ports::RefundRow {
    crate::ports::RefundRow {
        order_id: r.0,
        reference: r.1,
        name: r.2,
        email: r.3,
        amount_cents: r.4,
        paid_too_late: r.5,
        performance_id: r.6,
        show_title: r.7,
        starts_at: secs(r.8),
        since: secs(r.9),
    }
}

/// The SQL both engines run for reads that differ only in placeholders: written with `$n`,
/// which SQLite accepts as well.
/// An order's status as stored (an unknown one reads as cancelled).
pub(super) fn order_status(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Cancelled)
}

/// A box office search hit: id, reference, status, channel, buyer name and e-mail, total,
/// performance, show title, start, creation, valid tickets (instants in seconds).
pub(super) type SummaryTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
);

pub(super) fn order_summary(r: SummaryTuple) -> OrderSummaryRow {
    OrderSummaryRow {
        id: r.0,
        reference: r.1,
        status: order_status(&r.2),
        channel: r.3,
        buyer_name: r.4,
        buyer_email: r.5,
        total: Cents(r.6),
        performance_id: r.7,
        show_title: r.8,
        starts_at: r.9,
        created_at: r.10,
        valid_tickets: r.11,
    }
}

/// An exported order, as `export_orders` selects it (instants in seconds).
pub(super) type ExportTuple = (
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
);

pub(super) fn export_line(r: ExportTuple) -> app::domain::export::OrderLine {
    app::domain::export::OrderLine {
        id: r.0,
        reference: r.1,
        paid_at: app::dto::Ts(r.2),
        channel: r.3,
        status: r.4,
        buyer_name: r.5,
        buyer_email: r.6,
        show: r.7,
        starts_at: app::dto::Ts(r.8),
        tickets: r.9,
        total_cents: r.10,
        refunded_cents: r.11,
    }
}

/// A counter payment: method, amount, tendered, change, reason, agent, desk.
pub(super) type PaymentTuple = (
    String,
    i64,
    Option<i64>,
    i64,
    Option<String>,
    Option<i64>,
    String,
);

pub(super) fn counter_payment(r: PaymentTuple) -> Option<CounterPaymentRow> {
    Some(CounterPaymentRow {
        method: app::domain::counter::PaymentMethod::parse(&r.0)?,
        amount: Cents(r.1),
        tendered: r.2.map(Cents),
        change: Cents(r.3),
        reason: r.4,
        agent_id: r.5,
        desk: r.6,
    })
}

pub(super) mod sql {
    /// One version of a hall's seat map: `$1` hall, `$2` version.
    pub const HALL: &str = "SELECT width, height, stage_x, stage_y, stage_w, stage_h, stage_label
          FROM seatmap_versions WHERE hall_id = $1 AND version = $2";
    pub const ZONES: &str = "SELECT z.id, z.name FROM zones z WHERE z.hall_id = $1
           AND EXISTS (SELECT 1 FROM seats st WHERE st.zone_id = z.id AND st.version = $2)
         ORDER BY z.position";
    pub const SEATS: &str = "
        SELECT st.id, st.zone_id, z.name AS zone, st.row_label, st.number, st.x, st.y, st.category_id,
               c.number AS category, st.accessible, st.companion, st.restricted_view, st.blocked,
               st.block_reason
          FROM seats st JOIN zones z ON z.id = st.zone_id JOIN categories c ON c.id = st.category_id
         WHERE st.hall_id = $1 AND st.version = $2 ORDER BY z.position, st.y, st.x";
    pub const CATEGORIES: &str =
        "SELECT id, number, label, color FROM categories WHERE hall_id = $1 ORDER BY number";
    /// A performance's prices, with its venue's labels, proof flag and words on who qualifies
    /// (the town's defaults for a tariff the venue's catalogue lacks).
    pub const GRID: &str = "
        SELECT pr.category_id, t.code, COALESCE(vt.label_fr, t.label_fr) AS label_fr,
               COALESCE(vt.label_en, t.label_en) AS label_en,
               COALESCE(vt.proof_required, t.proof_required) AS proof_required,
               COALESCE(vt.eligibility_fr, '') AS eligibility_fr,
               COALESCE(vt.eligibility_en, '') AS eligibility_en, pr.price_cents
          FROM prices pr JOIN tariffs t ON t.code = pr.tariff_code
          JOIN performances p ON p.id = pr.performance_id JOIN halls h ON h.id = p.hall_id
          LEFT JOIN venue_tariffs vt ON vt.venue_id = h.venue_id AND vt.tariff_code = pr.tariff_code
         WHERE pr.performance_id = $1 ORDER BY COALESCE(vt.position, t.position), pr.category_id";
    /// Puts tariff `$2` in venue `$1`'s catalogue as the town has it (a new venue's start).
    pub const SEED_VENUE_TARIFF: &str = "
        INSERT INTO venue_tariffs (venue_id, tariff_code, label_fr, label_en, proof_required, position)
        SELECT $1, code, label_fr, label_en, proof_required, position FROM tariffs WHERE code = $2
        ON CONFLICT (venue_id, tariff_code) DO NOTHING";
    /// A venue's catalogue, in its order.
    pub const VENUE_TARIFFS: &str = "
        SELECT vt.tariff_code, vt.label_fr, vt.label_en, t.family, vt.proof_required,
               vt.eligibility_fr, vt.eligibility_en, vt.active, vt.position
          FROM venue_tariffs vt JOIN tariffs t ON t.code = vt.tariff_code
         WHERE vt.venue_id = $1 ORDER BY vt.position, vt.tariff_code";
    pub const SHOW: &str = "SELECT s.id, s.title, s.kind, s.duration_min, s.description,
                s.age_rating, s.visa, s.distributor, s.version, s.is_3d, p.file, p.width, p.height
           FROM shows s LEFT JOIN show_posters p ON p.show_id = s.id WHERE s.id = $1";
    pub const SHOWS: &str = "SELECT s.id, s.title, s.kind, s.duration_min, s.description,
                s.age_rating, s.visa, s.distributor, s.version, s.is_3d, p.file, p.width, p.height
           FROM shows s LEFT JOIN show_posters p ON p.show_id = s.id ORDER BY s.title, s.id";
    pub const POSTER: &str =
        "SELECT format, bytes FROM show_posters WHERE show_id = $1 AND file = $2";
    pub const ORDER_ITEMS: &str = "
        SELECT i.seat_id, z.name AS zone, st.row_label, st.number, c.number AS category, i.tariff_code,
               COALESCE(vt.label_fr, t.label_fr) AS label_fr,
               COALESCE(vt.proof_required, t.proof_required) AS proof_required, i.price_cents
          FROM order_items i
          JOIN orders o ON o.id = i.order_id JOIN performances pf ON pf.id = o.performance_id
          JOIN halls h ON h.id = pf.hall_id
          JOIN tariffs t ON t.code = i.tariff_code
          LEFT JOIN venue_tariffs vt ON vt.venue_id = h.venue_id AND vt.tariff_code = i.tariff_code
          LEFT JOIN seats st ON st.id = i.seat_id
          LEFT JOIN zones z ON z.id = st.zone_id
          LEFT JOIN categories c ON c.id = st.category_id
         WHERE i.order_id = $1 ORDER BY i.id";
    pub const ORDER_TICKETS: &str = "
        SELECT tk.id, tk.uid, tk.number, v.code AS venue_code, z.name AS zone, st.row_label,
               st.number AS seat_number, c.number AS category, tk.tariff_code,
               COALESCE(vt.label_fr, t.label_fr) AS label_fr,
               COALESCE(vt.proof_required, t.proof_required) AS proof_required, tk.price_cents,
               tk.holder_name, tk.status, tk.code
          FROM tickets tk
          JOIN venues v ON v.id = tk.venue_id
          JOIN tariffs t ON t.code = tk.tariff_code
          LEFT JOIN venue_tariffs vt ON vt.venue_id = tk.venue_id AND vt.tariff_code = tk.tariff_code
          LEFT JOIN seats st ON st.id = tk.seat_id
          LEFT JOIN zones z ON z.id = st.zone_id
          LEFT JOIN categories c ON c.id = st.category_id
         WHERE tk.order_id = $1 ORDER BY tk.id";
    /// The quota of tariff `$2` on performance `$1`.
    pub const QUOTA: &str =
        "SELECT max_tickets FROM tariff_quotas WHERE performance_id = $1 AND tariff_code = $2";
    /// The tickets of tariff `$2` counted against performance `$1`'s quota at `$3`: paid, or in
    /// an unpaid order whose hold still stands.
    pub const QUOTA_TAKEN: &str = "
        SELECT COUNT(*) FROM order_items i
          JOIN orders o ON o.id = i.order_id JOIN holds h ON h.id = o.hold_id
         WHERE o.performance_id = $1 AND i.tariff_code = $2
           AND (o.status = 'paid'
                OR (o.status = 'awaiting_payment' AND h.status = 'active' AND h.expires_at > $3))";
    /// The paid orders of performance `$1`, oldest first.
    pub const BUYERS: &str = "
        SELECT o.id, o.reference, o.buyer_name, o.buyer_email, o.total_cents,
               (SELECT COUNT(*) FROM tickets t WHERE t.order_id = o.id), o.refund_due
          FROM orders o WHERE o.performance_id = $1 AND o.status = 'paid' ORDER BY o.created_at, o.id";
    /// Money to give back (`ProgrammeRepo::refunds_due`); the instants are Unix seconds on
    /// SQLite, `timestamptz` on PostgreSQL.
    pub const REFUNDS_DUE: &str = "
        SELECT o.id, o.reference, o.buyer_name, o.buyer_email, p.amount_cents, TRUE,
               o.performance_id, s.title, pf.starts_at, COALESCE(p.finished_at, p.created_at)
          FROM payments p JOIN orders o ON o.id = p.order_id
          JOIN performances pf ON pf.id = o.performance_id JOIN shows s ON s.id = pf.show_id
         WHERE p.outcome = 'refund_needed'
        UNION ALL
        SELECT o.id, o.reference, o.buyer_name, o.buyer_email, o.total_cents, FALSE,
               o.performance_id, s.title, pf.starts_at, COALESCE(o.paid_at, o.created_at)
          FROM orders o JOIN performances pf ON pf.id = o.performance_id
          JOIN shows s ON s.id = pf.show_id
         WHERE o.refund_due
         ORDER BY 10, 1";
    pub const SALES_COUNTS: &str = "
        SELECT (SELECT COUNT(*) FROM holds), (SELECT COUNT(*) FROM seat_claims),
               (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_items),
               (SELECT COUNT(*) FROM payments), (SELECT COUNT(*) FROM tickets)";
}

/// An order's `channel`, `agent_id` and `desk` columns.
pub(super) fn origin_columns(
    origin: &crate::ports::SaleOrigin,
) -> (&'static str, Option<i64>, Option<&str>) {
    match origin {
        crate::ports::SaleOrigin::Online => ("online", None, None),
        crate::ports::SaleOrigin::Counter { agent_id, desk } => {
            ("box_office", *agent_id, Some(desk.as_str()))
        }
    }
}

/// Reads whose SQL and rows are the same on both engines, written once over sqlx's `Database`.
pub(super) mod reads {
    use super::{hall_plan, sql, GridRow, HallRow, SeatRow};
    use crate::adapters::storage::SqlxResultExt;
    use crate::ports::{CategoryRow, HallPlan, NewTariff, RepoResult, ShowRow, VenueTariffRow};
    use app::domain::pricing::GridCell;
    use app::dto::ShowKind;
    use sqlx::{Database, Encode, FromRow, IntoArguments, Pool, Type};

    /// A show's columns: id, title, kind, duration, description, age rating, the film's visa,
    /// distributor, version and 3D, then its poster's file, width and height (if any).
    pub type ShowFields = (
        i64,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
        bool,
        Option<String>,
        Option<i64>,
        Option<i64>,
    );

    pub fn show_row(fields: ShowFields) -> ShowRow {
        let (
            id,
            title,
            kind,
            duration_min,
            description,
            age_rating,
            visa,
            distributor,
            version,
            three_d,
            poster_file,
            width,
            height,
        ) = fields;
        let kind = ShowKind::parse(&kind).unwrap_or(ShowKind::Theatre);
        ShowRow {
            id,
            title,
            kind,
            duration_min,
            description,
            age_rating,
            film: (kind == ShowKind::Cinema).then(|| app::domain::film::Film {
                visa: app::domain::film::Visa::parse(&visa),
                distributor,
                version: app::domain::film::FilmVersion::parse(&version),
                three_d,
            }),
            poster: poster_file.map(|file| app::dto::PosterRef {
                url: format!("/affiches/{file}"),
                width: width.unwrap_or(0),
                height: height.unwrap_or(0),
            }),
        }
    }

    pub async fn show<DB: Database>(pool: &Pool<DB>, id: i64) -> RepoResult<Option<ShowRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> ShowFields: FromRow<'r, DB::Row>,
    {
        let row: Option<ShowFields> = sqlx::query_as(sql::SHOW)
            .bind(id)
            .fetch_optional(pool)
            .await
            .or_fail()?;
        Ok(row.map(show_row))
    }

    /// Every show, by title.
    pub async fn shows<DB: Database>(pool: &Pool<DB>) -> RepoResult<Vec<ShowRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'r> ShowFields: FromRow<'r, DB::Row>,
    {
        let rows: Vec<ShowFields> = sqlx::query_as(sql::SHOWS).fetch_all(pool).await.or_fail()?;
        Ok(rows.into_iter().map(show_row).collect())
    }

    /// The show's current poster if it is served as `file`: `(format, bytes)`.
    pub async fn poster<DB: Database>(
        pool: &Pool<DB>,
        show_id: i64,
        file: &str,
    ) -> RepoResult<Option<(String, Vec<u8>)>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'q> &'q str: Encode<'q, DB> + Type<DB>,
        for<'r> (String, Vec<u8>): FromRow<'r, DB::Row>,
    {
        sqlx::query_as(sql::POSTER)
            .bind(show_id)
            .bind(file)
            .fetch_optional(pool)
            .await
            .or_fail()
    }

    /// A venue's catalogue, in its order.
    pub async fn venue_tariffs<DB: Database>(
        pool: &Pool<DB>,
        venue_id: i64,
    ) -> RepoResult<Vec<VenueTariffRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> VenueTariffFields: FromRow<'r, DB::Row>,
    {
        let rows: Vec<VenueTariffFields> = sqlx::query_as(sql::VENUE_TARIFFS)
            .bind(venue_id)
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    code,
                    label_fr,
                    label_en,
                    family,
                    proof_required,
                    eligibility_fr,
                    eligibility_en,
                    active,
                    position,
                )| {
                    VenueTariffRow {
                        code,
                        label_fr,
                        label_en,
                        family,
                        proof_required,
                        eligibility_fr,
                        eligibility_en,
                        active,
                        position,
                    }
                },
            )
            .collect())
    }

    /// A venue tariff's columns, in `sql::VENUE_TARIFFS` order.
    pub type VenueTariffFields = (
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
        bool,
        i64,
    );

    /// The tariff catalogue, in its order.
    pub async fn tariffs<DB: Database>(pool: &Pool<DB>) -> RepoResult<Vec<NewTariff>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'r> (String, String, String, String, bool, i64): FromRow<'r, DB::Row>,
    {
        let rows: Vec<(String, String, String, String, bool, i64)> = sqlx::query_as(
            "SELECT code, label_fr, label_en, family, proof_required, position FROM tariffs ORDER BY position, code",
        )
        .fetch_all(pool)
        .await
        .or_fail()?;
        Ok(rows
            .into_iter()
            .map(
                |(code, label_fr, label_en, family, proof_required, position)| NewTariff {
                    code,
                    label_fr,
                    label_en,
                    family,
                    proof_required,
                    position,
                },
            )
            .collect())
    }

    pub async fn plan<DB: Database>(
        pool: &Pool<DB>,
        hall_id: i64,
        version: i64,
    ) -> RepoResult<Option<HallPlan>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> HallRow: FromRow<'r, DB::Row>,
        for<'r> SeatRow: FromRow<'r, DB::Row>,
        for<'r> (i64, String): FromRow<'r, DB::Row>,
    {
        let Some(hall): Option<HallRow> = sqlx::query_as(sql::HALL)
            .bind(hall_id)
            .bind(version)
            .fetch_optional(pool)
            .await
            .or_fail()?
        else {
            return Ok(None);
        };
        let zones = sqlx::query_as(sql::ZONES)
            .bind(hall_id)
            .bind(version)
            .fetch_all(pool)
            .await
            .or_fail()?;
        let seats = sqlx::query_as(sql::SEATS)
            .bind(hall_id)
            .bind(version)
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(Some(hall_plan(hall_id, hall, zones, seats)))
    }

    pub async fn categories<DB: Database>(
        pool: &Pool<DB>,
        hall_id: i64,
    ) -> RepoResult<Vec<CategoryRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> (i64, i64, String, String): FromRow<'r, DB::Row>,
    {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(sql::CATEGORIES)
            .bind(hall_id)
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(rows
            .into_iter()
            .map(|(id, number, label, color)| CategoryRow {
                id,
                number,
                label,
                color,
            })
            .collect())
    }

    pub async fn grid<DB: Database>(pool: &Pool<DB>, performance: i64) -> RepoResult<Vec<GridCell>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> GridRow: FromRow<'r, DB::Row>,
    {
        let rows: Vec<GridRow> = sqlx::query_as(sql::GRID)
            .bind(performance)
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// An order's lines, with their seats' labels.
    pub async fn order_items<DB: Database>(
        pool: &Pool<DB>,
        order: &str,
    ) -> RepoResult<Vec<crate::ports::OrderItemRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> String: Encode<'q, DB> + Type<DB>,
        for<'r> super::ItemRow: FromRow<'r, DB::Row>,
    {
        let rows: Vec<super::ItemRow> = sqlx::query_as(sql::ORDER_ITEMS)
            .bind(order.to_string())
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// An order's tickets.
    pub async fn order_tickets<DB: Database>(
        pool: &Pool<DB>,
        order: &str,
    ) -> RepoResult<Vec<crate::ports::TicketRow>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'q> String: Encode<'q, DB> + Type<DB>,
        for<'r> super::OrderTicketRow: FromRow<'r, DB::Row>,
    {
        let rows: Vec<super::OrderTicketRow> = sqlx::query_as(sql::ORDER_TICKETS)
            .bind(order.to_string())
            .fetch_all(pool)
            .await
            .or_fail()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Runs every integrity query (`ports::INTEGRITY_QUERIES`).
    pub async fn problems<DB: Database>(pool: &Pool<DB>) -> RepoResult<Vec<crate::ports::Problem>>
    where
        for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
        for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
        for<'r> (String,): FromRow<'r, DB::Row>,
    {
        let mut found = Vec::new();
        for (kind, query) in crate::ports::INTEGRITY_QUERIES {
            let rows: Vec<(String,)> = sqlx::query_as(query).fetch_all(pool).await.or_fail()?;
            found.extend(rows.into_iter().map(|(detail,)| crate::ports::Problem {
                kind: *kind,
                detail,
            }));
        }
        Ok(found)
    }
}
