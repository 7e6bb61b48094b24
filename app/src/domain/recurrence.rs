//! Recurring performances: "Wednesday and Saturday at 14:00 and 20:30, from 2 to 20 December,
//! except the 24th", as Paris wall-clock times turned into UTC instants (the clocks changing in
//! between keep 20:30 at 20:30).
use super::paris;
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// As the admin API receives it: dates `YYYY-MM-DD`, weekdays `mon`…`sun` (or `lun`…`dim`),
/// times `HH:MM`, Paris time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecurrenceSpec {
    pub from: String,
    pub to: String,
    pub weekdays: Vec<String>,
    pub times: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
}

/// At most this many performances from one request, over at most a year.
pub const MAX_PERFORMANCES: usize = 500;
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("invalid date {0:?} (YYYY-MM-DD)")]
    Date(String),
    #[error("invalid weekday {0:?}")]
    Weekday(String),
    #[error("invalid time {0:?} (HH:MM)")]
    Time(String),
    #[error("the period ends before it starts or spans more than a year")]
    Period,
    #[error("no weekday or no time given")]
    Empty,
    #[error("more than {MAX_PERFORMANCES} performances")]
    TooMany,
}

fn date(s: &str) -> Result<NaiveDate, RecurrenceError> {
    paris::parse_day(s.trim()).ok_or_else(|| RecurrenceError::Date(s.to_string()))
}

fn weekday(s: &str) -> Result<Weekday, RecurrenceError> {
    let w = match s.trim().to_lowercase().as_str() {
        "mon" | "monday" | "lun" | "lundi" => Weekday::Mon,
        "tue" | "tuesday" | "mar" | "mardi" => Weekday::Tue,
        "wed" | "wednesday" | "mer" | "mercredi" => Weekday::Wed,
        "thu" | "thursday" | "jeu" | "jeudi" => Weekday::Thu,
        "fri" | "friday" | "ven" | "vendredi" => Weekday::Fri,
        "sat" | "saturday" | "sam" | "samedi" => Weekday::Sat,
        "sun" | "sunday" | "dim" | "dimanche" => Weekday::Sun,
        _ => return Err(RecurrenceError::Weekday(s.to_string())),
    };
    Ok(w)
}

/// `HH:MM` (24 h), also `20h30`.
pub fn time(s: &str) -> Result<NaiveTime, RecurrenceError> {
    let t = s.trim().replace('h', ":");
    NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| RecurrenceError::Time(s.to_string()))
}

impl RecurrenceSpec {
    /// The UTC start instants, in order.
    pub fn instants(&self) -> Result<Vec<i64>, RecurrenceError> {
        let (from, to) = (date(&self.from)?, date(&self.to)?);
        let span = (to - from).num_days();
        if !(0..MAX_DAYS).contains(&span) {
            return Err(RecurrenceError::Period);
        }
        let weekdays = self
            .weekdays
            .iter()
            .map(|w| weekday(w))
            .collect::<Result<Vec<_>, _>>()?;
        let mut times = self
            .times
            .iter()
            .map(|t| time(t))
            .collect::<Result<Vec<_>, _>>()?;
        times.sort_unstable();
        times.dedup();
        let except = self
            .except
            .iter()
            .map(|d| date(d))
            .collect::<Result<Vec<_>, _>>()?;
        if weekdays.is_empty() || times.is_empty() {
            return Err(RecurrenceError::Empty);
        }
        let mut out = Vec::new();
        for day in from.iter_days().take(span as usize + 1) {
            if !weekdays.contains(&day.weekday()) || except.contains(&day) {
                continue;
            }
            for t in &times {
                if out.len() == MAX_PERFORMANCES {
                    return Err(RecurrenceError::TooMany);
                }
                out.push(paris::to_utc(day.and_time(*t)));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(
        from: &str,
        to: &str,
        weekdays: &[&str],
        times: &[&str],
        except: &[&str],
    ) -> RecurrenceSpec {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        RecurrenceSpec {
            from: from.into(),
            to: to.into(),
            weekdays: v(weekdays),
            times: v(times),
            except: v(except),
        }
    }

    #[test]
    fn a_film_three_times_a_day_for_two_weeks() {
        let all = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let s = spec(
            "2026-12-02",
            "2026-12-15",
            &all,
            &["14:00", "18h00", "20:30"],
            &[],
        );
        let instants = s.instants().unwrap();
        assert_eq!(instants.len(), 14 * 3);
        assert_eq!(
            paris::datetime_fr(instants[0]),
            paris::datetime_fr(paris::utc_from_ymd_hm(2026, 12, 2, 14, 0))
        );
        assert!(instants.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn weekdays_and_exceptions() {
        // December 2026: Wednesdays 2, 9, 16, 23, 30; Saturdays 5, 12, 19, 26.
        let s = spec(
            "2026-12-01",
            "2026-12-31",
            &["mer", "samedi"],
            &["20:30"],
            &["2026-12-26"],
        );
        let days: Vec<String> = s
            .instants()
            .unwrap()
            .into_iter()
            .map(paris::day_key)
            .collect();
        assert_eq!(
            days,
            ["02", "05", "09", "12", "16", "19", "23", "30"].map(|d| format!("2026-12-{d}"))
        );
    }

    #[test]
    fn the_wall_clock_time_holds_across_a_clock_change() {
        // Clocks go back on 25 October 2026: 20:30 is 18:30 UTC before, 19:30 UTC after.
        let s = spec("2026-10-24", "2026-10-25", &["sat", "sun"], &["20:30"], &[]);
        let i = s.instants().unwrap();
        assert_eq!(i[1] - i[0], 25 * 3600);
        assert!(
            i.iter().all(|t| paris::time_fr(*t) == "20h30"),
            "{:?}",
            i.iter().map(|t| paris::time_fr(*t)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn bad_specs_are_refused_with_what_is_wrong() {
        assert_eq!(
            spec("2026-12-10", "2026-12-01", &["mon"], &["20:00"], &[]).instants(),
            Err(RecurrenceError::Period)
        );
        assert_eq!(
            spec("2026-12-01", "2028-12-01", &["mon"], &["20:00"], &[]).instants(),
            Err(RecurrenceError::Period)
        );
        assert_eq!(
            spec("2026-13-01", "2026-12-01", &["mon"], &["20:00"], &[]).instants(),
            Err(RecurrenceError::Date("2026-13-01".into()))
        );
        assert_eq!(
            spec("2026-12-01", "2026-12-02", &["lunedi"], &["20:00"], &[]).instants(),
            Err(RecurrenceError::Weekday("lunedi".into()))
        );
        assert_eq!(
            spec("2026-12-01", "2026-12-02", &["mon"], &["25:00"], &[]).instants(),
            Err(RecurrenceError::Time("25:00".into()))
        );
        assert_eq!(
            spec("2026-12-01", "2026-12-02", &[], &["20:00"], &[]).instants(),
            Err(RecurrenceError::Empty)
        );
        let many = spec(
            "2026-01-01",
            "2026-12-31",
            &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            &["10:00", "14:00"],
            &[],
        );
        assert_eq!(many.instants(), Err(RecurrenceError::TooMany));
    }
}
