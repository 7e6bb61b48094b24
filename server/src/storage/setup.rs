//! Catalogue writes used by the demo seeder and administration: venues, halls, seat plans,
//! tariffs, shows, performances. Every insert is idempotent (keyed on natural unique columns).
use super::{RowExt, Store, StoreResult, WriteTx};

#[derive(Debug, Clone)]
pub struct NewSeat {
    pub zone_id: i64,
    pub category_id: i64,
    pub row: String,
    pub number: i64,
    pub x: i64,
    pub y: i64,
    pub accessible: bool,
    pub companion: bool,
    pub restricted_view: bool,
    pub blocked: bool,
}

#[derive(Debug, Clone)]
pub struct HallGeometry {
    pub width: i64,
    pub height: i64,
    pub stage: (i64, i64, i64, i64),
    pub stage_label: String,
}

#[derive(Debug, Clone)]
pub struct NewPerformance {
    pub show_id: i64,
    pub hall_id: i64,
    pub starts_at: i64,
    pub sale_opens_at: i64,
    pub sale_closes_at: i64,
    pub hold_seconds: i64,
    pub max_seats_per_order: i64,
    pub seated: bool,
    /// General admission capacity; ignored for seated performances (the seat count is used).
    pub capacity: i64,
    /// (category id or None for general admission, tariff code, price in cents)
    pub prices: Vec<(Option<i64>, String, i64)>,
}

/// A catalogue transaction: all or nothing.
pub struct CatalogTx {
    w: WriteTx,
}

impl Store {
    pub async fn catalog_tx(&self) -> StoreResult<CatalogTx> {
        Ok(CatalogTx {
            w: self.begin_write().await?,
        })
    }
}

impl CatalogTx {
    pub async fn commit(self) -> StoreResult<()> {
        self.w.commit().await
    }

    async fn id_of(&mut self, sql: &str, keys: &[&str]) -> StoreResult<i64> {
        let mut q = sqlx::query(sql);
        for k in keys {
            q = q.bind(*k);
        }
        q.fetch_one(&mut *self.w.tx).await?.i("id")
    }

    pub async fn venue(
        &mut self,
        code: &str,
        name: &str,
        operator: &str,
        address: &str,
        kind: &str,
    ) -> StoreResult<i64> {
        sqlx::query(
            "INSERT INTO venues (code, name, operator_name, address, kind) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(name)
        .bind(operator)
        .bind(address)
        .bind(kind)
        .execute(&mut *self.w.tx)
        .await?;
        self.id_of("SELECT id FROM venues WHERE code = $1", &[code])
            .await
    }

    pub async fn hall(&mut self, venue_id: i64, name: &str, g: &HallGeometry) -> StoreResult<i64> {
        sqlx::query(
            "INSERT INTO halls (venue_id, name, width, height, stage_x, stage_y, stage_w, stage_h, stage_label)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (venue_id, name) DO NOTHING",
        )
        .bind(venue_id)
        .bind(name)
        .bind(g.width)
        .bind(g.height)
        .bind(g.stage.0)
        .bind(g.stage.1)
        .bind(g.stage.2)
        .bind(g.stage.3)
        .bind(&g.stage_label)
        .execute(&mut *self.w.tx)
        .await?;
        let r = sqlx::query("SELECT id FROM halls WHERE venue_id = $1 AND name = $2")
            .bind(venue_id)
            .bind(name)
            .fetch_one(&mut *self.w.tx)
            .await?;
        r.i("id")
    }

    pub async fn zone(&mut self, hall_id: i64, name: &str, position: i64) -> StoreResult<i64> {
        sqlx::query("INSERT INTO zones (hall_id, name, position) VALUES ($1, $2, $3) ON CONFLICT (hall_id, name) DO NOTHING")
            .bind(hall_id)
            .bind(name)
            .bind(position)
            .execute(&mut *self.w.tx)
            .await?;
        let r = sqlx::query("SELECT id FROM zones WHERE hall_id = $1 AND name = $2")
            .bind(hall_id)
            .bind(name)
            .fetch_one(&mut *self.w.tx)
            .await?;
        r.i("id")
    }

    pub async fn category(
        &mut self,
        hall_id: i64,
        number: i64,
        label: &str,
        color: &str,
    ) -> StoreResult<i64> {
        sqlx::query(
            "INSERT INTO categories (hall_id, number, label, color) VALUES ($1, $2, $3, $4)
             ON CONFLICT (hall_id, number) DO NOTHING",
        )
        .bind(hall_id)
        .bind(number)
        .bind(label)
        .bind(color)
        .execute(&mut *self.w.tx)
        .await?;
        let r = sqlx::query("SELECT id FROM categories WHERE hall_id = $1 AND number = $2")
            .bind(hall_id)
            .bind(number)
            .fetch_one(&mut *self.w.tx)
            .await?;
        r.i("id")
    }

    /// Inserts the hall's seats unless it already has some; returns the hall's seat count.
    pub async fn seats(&mut self, hall_id: i64, seats: &[NewSeat]) -> StoreResult<i64> {
        let existing = sqlx::query("SELECT COUNT(*) AS n FROM seats WHERE hall_id = $1")
            .bind(hall_id)
            .fetch_one(&mut *self.w.tx)
            .await?
            .i("n")?;
        if existing > 0 {
            return Ok(existing);
        }
        for s in seats {
            sqlx::query(
                "INSERT INTO seats (hall_id, zone_id, category_id, row_label, number, x, y, accessible, companion,
                                    restricted_view, blocked)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(hall_id)
            .bind(s.zone_id)
            .bind(s.category_id)
            .bind(&s.row)
            .bind(s.number)
            .bind(s.x)
            .bind(s.y)
            .bind(s.accessible as i64)
            .bind(s.companion as i64)
            .bind(s.restricted_view as i64)
            .bind(s.blocked as i64)
            .execute(&mut *self.w.tx)
            .await?;
        }
        Ok(seats.len() as i64)
    }

    pub async fn tariff(
        &mut self,
        code: &str,
        fr: &str,
        en: &str,
        family: &str,
        proof: bool,
        position: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tariffs (code, label_fr, label_en, family, proof_required, position) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(fr)
        .bind(en)
        .bind(family)
        .bind(proof as i64)
        .bind(position)
        .execute(&mut *self.w.tx)
        .await?;
        Ok(())
    }

    pub async fn show(
        &mut self,
        title: &str,
        kind: &str,
        duration_min: i64,
        description: &str,
        age: &str,
    ) -> StoreResult<i64> {
        sqlx::query(
            "INSERT INTO shows (title, kind, duration_min, description, age_rating) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (title, kind) DO NOTHING",
        )
        .bind(title)
        .bind(kind)
        .bind(duration_min)
        .bind(description)
        .bind(age)
        .execute(&mut *self.w.tx)
        .await?;
        self.id_of(
            "SELECT id FROM shows WHERE title = $1 AND kind = $2",
            &[title, kind],
        )
        .await
    }

    /// Creates the performance (with its price grid) unless the hall already has one at that
    /// time. Returns its id.
    pub async fn performance(&mut self, p: &NewPerformance) -> StoreResult<i64> {
        if let Some(r) =
            sqlx::query("SELECT id FROM performances WHERE hall_id = $1 AND starts_at = $2")
                .bind(p.hall_id)
                .bind(p.starts_at)
                .fetch_optional(&mut *self.w.tx)
                .await?
        {
            return r.i("id");
        }
        let capacity = if p.seated {
            sqlx::query("SELECT COUNT(*) AS n FROM seats WHERE hall_id = $1")
                .bind(p.hall_id)
                .fetch_one(&mut *self.w.tx)
                .await?
                .i("n")?
        } else {
            p.capacity
        };
        let id = sqlx::query(
            "INSERT INTO performances (show_id, hall_id, starts_at, sale_opens_at, sale_closes_at, hold_seconds,
                                       max_seats_per_order, seated, capacity)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(p.show_id)
        .bind(p.hall_id)
        .bind(p.starts_at)
        .bind(p.sale_opens_at)
        .bind(p.sale_closes_at)
        .bind(p.hold_seconds)
        .bind(p.max_seats_per_order)
        .bind(p.seated as i64)
        .bind(capacity)
        .fetch_one(&mut *self.w.tx)
        .await?
        .i("id")?;
        for (category_id, tariff, price) in &p.prices {
            sqlx::query("INSERT INTO prices (performance_id, category_id, tariff_code, price_cents) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(*category_id)
                .bind(tariff)
                .bind(*price)
                .execute(&mut *self.w.tx)
                .await?;
        }
        Ok(id)
    }
}
