//! Times are stored as UTC Unix seconds and shown in Europe/Paris, with the zone's rules from
//! the tz database (`chrono-tz`, built with that one zone only — see `.cargo/config.toml` — so
//! the browser bundle stays small).
use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Europe::Paris;

/// UTC offset of Paris, in seconds, at the given instant.
pub fn offset_at(ts: i64) -> i64 {
    match DateTime::<Utc>::from_timestamp(ts, 0) {
        Some(utc) => i64::from(
            Paris
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        ),
        None => 3600,
    }
}

/// Wall-clock time in Paris.
pub fn local(ts: i64) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .map(|d| d.with_timezone(&Paris).naive_local())
        .unwrap_or_default()
}

/// The UTC instant of a Paris wall-clock time. In the autumn overlap the earlier instant wins;
/// a time inside the spring gap is read with the winter offset.
pub fn to_utc(local: NaiveDateTime) -> i64 {
    match Paris.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(earlier, _) => earlier.timestamp(),
        // Skipped by the spring change: as if the clocks had not moved yet.
        chrono::LocalResult::None => local.and_utc().timestamp() - 3600,
    }
}

/// Paris calendar date of an instant, as `YYYY-MM-DD` (grouping key for the programme).
pub fn day_key(ts: i64) -> String {
    local(ts).format("%Y-%m-%d").to_string()
}

pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// UTC bounds `[start, end)` of a Paris calendar day.
pub fn day_bounds(day: NaiveDate) -> (i64, i64) {
    let start = to_utc(day.and_hms_opt(0, 0, 0).expect("midnight"));
    let next = day.succ_opt().unwrap_or(day);
    (start, to_utc(next.and_hms_opt(0, 0, 0).expect("midnight")))
}

/// The UTC instant of midnight starting a Paris calendar day (never inside a clock change,
/// which happens at 02:00 or 03:00).
fn midnight(day: NaiveDate) -> i64 {
    to_utc(day.and_time(NaiveTime::MIN))
}

/// UTC bounds `[start, end)` of a Paris calendar month; `None` for a month outside 1–12 or a
/// year chrono cannot represent. March is an hour short and October an hour long.
pub fn month_bounds(year: i32, month: u32) -> Option<(i64, i64)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((midnight(first), midnight(next)))
}

/// UTC bounds `[start, end)` of a Paris calendar year (both ends at midnight, winter time).
pub fn year_bounds(year: i32) -> Option<(i64, i64)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let next = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?;
    Some((midnight(first), midnight(next)))
}

const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_index(w: Weekday) -> usize {
    w.num_days_from_monday() as usize
}

/// "samedi 5 décembre 2026"
pub fn date_fr(ts: i64) -> String {
    let d = local(ts);
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!(
        "{} {} {} {}",
        JOURS[weekday_index(d.weekday())],
        day,
        MOIS[d.month0() as usize],
        d.year()
    )
}

/// "20h30"
pub fn time_fr(ts: i64) -> String {
    local(ts).format("%Hh%M").to_string()
}

/// "samedi 5 décembre 2026 à 20h30"
pub fn datetime_fr(ts: i64) -> String {
    format!("{} à {}", date_fr(ts), time_fr(ts))
}

/// "Saturday 5 December 2026"
pub fn date_en(ts: i64) -> String {
    let d = local(ts);
    format!(
        "{} {} {} {}",
        DAYS[weekday_index(d.weekday())],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// "20:30"
pub fn time_en(ts: i64) -> String {
    local(ts).format("%H:%M").to_string()
}

pub fn utc_from_ymd_hm(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    let naive = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid date");
    to_utc(naive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_and_summer_offsets() {
        // 2026-12-05 19:30 UTC is 20:30 in Paris (CET).
        assert_eq!(time_fr(1_796_499_000), "20h30");
        assert_eq!(utc_from_ymd_hm(2026, 12, 5, 20, 30), 1_796_499_000);
        // 2026-07-14 20:00 UTC is 22:00 in Paris (CEST).
        let ts = utc_from_ymd_hm(2026, 7, 14, 22, 0);
        assert_eq!(offset_at(ts), 7200);
        assert_eq!(time_fr(ts), "22h00");
    }

    #[test]
    fn dst_switch_instants() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let start = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(offset_at(start - 1), 3600);
        assert_eq!(offset_at(start), 7200);
        let end = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(offset_at(end - 1), 7200);
        assert_eq!(offset_at(end), 3600);
    }

    #[test]
    fn french_dates() {
        let ts = utc_from_ymd_hm(2026, 12, 5, 20, 30);
        assert_eq!(datetime_fr(ts), "samedi 5 décembre 2026 à 20h30");
        assert_eq!(
            date_fr(utc_from_ymd_hm(2027, 1, 1, 18, 0)),
            "vendredi 1er janvier 2027"
        );
        assert_eq!(date_en(ts), "Saturday 5 December 2026");
        assert_eq!(day_key(utc_from_ymd_hm(2026, 12, 5, 23, 30)), "2026-12-05");
    }

    #[test]
    fn overlap_and_gap() {
        // 2026-10-25 02:30 happens twice: the earlier (summer) instant wins.
        let overlap = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(offset_at(to_utc(overlap)), 7200);
        // 2026-03-29 02:30 never happens: read with the winter offset, it is 03:30 summer time.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(time_fr(to_utc(gap)), "03h30");
    }

    #[test]
    fn day_bounds_cover_local_day() {
        let (a, b) = day_bounds(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        assert_eq!(b - a, 86_400);
        assert_eq!(day_key(a), "2026-12-05");
        assert_eq!(day_key(b - 1), "2026-12-05");
        assert_eq!(day_key(b), "2026-12-06");
        // The spring-forward day is 23 hours long.
        let (a, b) = day_bounds(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(b - a, 23 * 3600);
        // The autumn one (last Sunday of October) is 25 hours long.
        let (a, b) = day_bounds(NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!(b - a, 25 * 3600);
        assert_eq!(day_key(a), "2026-10-25");
        assert_eq!(day_key(b - 1), "2026-10-25");
        assert_eq!(day_key(b), "2026-10-26");
        // 2027's changes: 28 March and 31 October.
        let (a, b) = day_bounds(NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
        assert_eq!((b - a, offset_at(a), offset_at(b)), (23 * 3600, 3600, 7200));
        let (a, b) = day_bounds(NaiveDate::from_ymd_opt(2027, 10, 31).unwrap());
        assert_eq!((b - a, offset_at(a), offset_at(b)), (25 * 3600, 7200, 3600));
    }

    #[test]
    fn month_and_year_bounds() {
        let day = 86_400;
        // March and October carry the clock changes; a summer month starts and ends at 22:00 UTC.
        let (a, b) = month_bounds(2026, 3).unwrap();
        assert_eq!(b - a, 31 * day - 3600);
        assert_eq!(a, utc_from_ymd_hm(2026, 3, 1, 0, 0));
        assert_eq!(
            (day_key(a), day_key(b - 1), day_key(b)),
            (
                "2026-03-01".into(),
                "2026-03-31".into(),
                "2026-04-01".into()
            )
        );
        let (a, b) = month_bounds(2026, 10).unwrap();
        assert_eq!(b - a, 31 * day + 3600);
        assert_eq!(
            (day_key(b - 1), day_key(b)),
            ("2026-10-31".into(), "2026-11-01".into())
        );
        let (a, b) = month_bounds(2026, 7).unwrap();
        assert_eq!((b - a, a % day, b % day), (31 * day, 22 * 3600, 22 * 3600));
        let (a, b) = month_bounds(2028, 2).unwrap();
        assert_eq!(b - a, 29 * day);
        // December runs into the next year.
        let (a, b) = month_bounds(2026, 12).unwrap();
        assert_eq!(
            (day_key(a), day_key(b)),
            ("2026-12-01".into(), "2027-01-01".into())
        );
        assert_eq!(month_bounds(2026, 0), None);
        assert_eq!(month_bounds(2026, 13), None);
        // The year's two changes cancel out.
        let (a, b) = year_bounds(2026).unwrap();
        assert_eq!(b - a, 365 * day);
        assert_eq!(
            (day_key(a), day_key(b - 1), day_key(b)),
            (
                "2026-01-01".into(),
                "2026-12-31".into(),
                "2027-01-01".into()
            )
        );
        assert_eq!(year_bounds(2028).map(|(a, b)| b - a), Some(366 * day));
        // Months tile their year and days tile their month, with no gap or overlap.
        let mut at = year_bounds(2026).unwrap().0;
        for m in 1..=12 {
            let (a, b) = month_bounds(2026, m).unwrap();
            assert_eq!(a, at);
            let mut d = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
            let mut day_at = a;
            while d.month() == m {
                let (da, db) = day_bounds(d);
                assert_eq!(da, day_at);
                day_at = db;
                d = d.succ_opt().unwrap();
            }
            assert_eq!(day_at, b);
            at = b;
        }
        assert_eq!(at, year_bounds(2026).unwrap().1);
    }
}
