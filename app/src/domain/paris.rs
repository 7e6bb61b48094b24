//! Times are stored as UTC Unix seconds and shown in Europe/Paris, with the zone's rules from
//! the tz database (`chrono-tz`, built with that one zone only — see `.cargo/config.toml` — so
//! the browser bundle stays small).
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
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
    }
}
