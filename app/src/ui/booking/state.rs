//! What the booking steps share: the performance's fixed facts and four small groups of
//! signals — the live seat states, the buyer's pick, the hold (and its order), and feedback —
//! with the actions that change them. Components read and call these; they do not import one
//! another.
use super::places::{category_of, seat_place};
use crate::api::{create_hold, get_live_state, release_hold};
use crate::domain::recap::{expand, recap, RecapLine};
use crate::domain::sale_window::SaleState;
use crate::dto::{HoldRequest, HoldView, LiveState, OrderView, SeatMap, SeatStatus, Tariff};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::ui::common::{focus_later, now_ms, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;

/// The seat states as this page knows them, following other buyers.
#[derive(Clone, Copy)]
pub struct Live {
    pub statuses: RwSignal<HashMap<i64, SeatStatus>>,
    pub available: RwSignal<i64>,
}

/// What the buyer is choosing.
#[derive(Clone, Copy)]
pub struct Pick {
    /// Seats chosen on the map (seated performances), in the order they were picked.
    pub selection: RwSignal<Vec<i64>>,
    /// Places wanted ("best seats").
    pub quantity: RwSignal<i64>,
    /// General admission: places wanted per tariff (the map's `tariffs`, in order).
    pub counts: RwSignal<Vec<i64>>,
    /// The tariff chosen for each place held, in the hold's order (set at checkout).
    pub tariffs: RwSignal<Vec<String>>,
}

/// The places held for the buyer, the countdown, and the order placed on them.
#[derive(Clone, Copy)]
pub struct Held {
    pub hold: RwSignal<Option<HoldView>>,
    /// When the hold ends, on the browser clock (ms).
    pub deadline_ms: RwSignal<Option<f64>>,
    pub now_ms: RwSignal<f64>,
    pub order: RwSignal<Option<OrderView>>,
}

/// A request in flight, and what the page tells the buyer.
#[derive(Clone, Copy)]
pub struct Feedback {
    pub busy: RwSignal<bool>,
    /// Polite announcements (selection changes).
    pub notice: RwSignal<Option<Msg>>,
    /// Problems with the selection or the hold (role="alert").
    pub alert: RwSignal<Option<Msg>>,
}

/// Everything the booking steps share: the performance's fixed facts and the signal groups
/// above, so the struct is `Copy` and moves into every closure.
#[derive(Clone, Copy)]
pub struct Booking {
    pub map: StoredValue<SeatMap>,
    pub performance_id: i64,
    pub max: i64,
    pub seated: bool,
    pub sale_open: bool,
    /// Blocked seats may be chosen (a supervisor at the counter).
    pub allow_blocked: bool,
    pub live: Live,
    pub pick: Pick,
    pub held: Held,
    pub feedback: Feedback,
}

impl Booking {
    pub fn new(map: SeatMap) -> Booking {
        let statuses = map.seats.iter().map(|s| (s.id, s.status)).collect();
        Booking {
            performance_id: map.performance.id,
            max: map.max_seats_per_order.max(1),
            seated: map.performance.seated,
            sale_open: map.performance.sale == SaleState::Open,
            allow_blocked: false,
            live: Live {
                statuses: RwSignal::new(statuses),
                available: RwSignal::new(map.performance.available),
            },
            pick: Pick {
                selection: RwSignal::new(Vec::new()),
                quantity: RwSignal::new(1),
                counts: RwSignal::new(vec![0; map.tariffs.len()]),
                tariffs: RwSignal::new(Vec::new()),
            },
            held: Held {
                hold: RwSignal::new(None),
                deadline_ms: RwSignal::new(None),
                now_ms: RwSignal::new(now_ms()),
                order: RwSignal::new(None),
            },
            feedback: Feedback {
                busy: RwSignal::new(false),
                notice: RwSignal::new(None),
                alert: RwSignal::new(None),
            },
            map: StoredValue::new(map),
        }
    }

    // Used by the browser's live updates (and the tests).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn status(self, seat_id: i64) -> SeatStatus {
        self.live
            .statuses
            .with(|s| s.get(&seat_id).copied().unwrap_or(SeatStatus::Blocked))
    }

    // Used by the browser's live updates (and the tests).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn is_selected(self, seat_id: i64) -> bool {
        self.pick.selection.with(|s| s.contains(&seat_id))
    }

    /// Seconds left on the hold (None without a hold).
    pub fn seconds_left(self) -> Option<i64> {
        let deadline = self.held.deadline_ms.get()?;
        Some((((deadline - self.held.now_ms.get()) / 1000.0).ceil() as i64).max(0))
    }

    fn place_of(self, seat_id: i64, lang: Lang) -> String {
        self.map
            .try_with_value(|m| {
                m.seats
                    .iter()
                    .find(|s| s.id == seat_id)
                    .map(|s| seat_place(lang, s))
            })
            .flatten()
            .unwrap_or_default()
    }

    fn places_msg(self, ids: &[i64]) -> Msg {
        let list = |l: Lang| {
            ids.iter()
                .map(|id| self.place_of(*id, l))
                .collect::<Vec<_>>()
                .join(" ; ")
        };
        Msg::new(list(Lang::Fr), list(Lang::En))
    }

    /// Click, tap, Enter or Space on a seat.
    pub fn toggle(self, seat_id: i64) {
        if !self.sale_open {
            return;
        }
        if self.held.hold.with_untracked(Option::is_some) {
            self.feedback.notice.set(Some(Msg::new(
                "Vos places sont réservées : libérez-les pour modifier la sélection.",
                "Your seats are on hold: release them to change your selection.",
            )));
            return;
        }
        let place = self.places_msg(&[seat_id]);
        if self.pick.selection.with_untracked(|s| s.contains(&seat_id)) {
            self.pick
                .selection
                .update(|s| s.retain(|id| *id != seat_id));
            self.feedback.notice.set(Some(Msg::new(
                format!("Place retirée : {}.", place.get(Lang::Fr)),
                format!("Seat removed: {}.", place.get(Lang::En)),
            )));
            return;
        }
        let status = self
            .live
            .statuses
            .with_untracked(|s| s.get(&seat_id).copied());
        let usable = status == Some(SeatStatus::Free)
            || (self.allow_blocked && status == Some(SeatStatus::Blocked));
        if !usable {
            self.feedback.notice.set(Some(Msg::new(
                "Cette place n'est pas disponible.",
                "This seat is not available.",
            )));
            return;
        }
        let count = self.pick.selection.with_untracked(Vec::len) as i64;
        if count >= self.max {
            self.feedback.alert.set(Some(Msg::new(
                format!(
                    "Vous pouvez choisir au plus {} places par commande.",
                    self.max
                ),
                format!("You can choose at most {} seats per order.", self.max),
            )));
            return;
        }
        self.feedback.alert.set(None);
        self.pick.selection.update(|s| s.push(seat_id));
        let n = count + 1;
        self.feedback.notice.set(Some(Msg::new(
            format!(
                "Place ajoutée : {}. {} place{} sélectionnée{}.",
                place.get(Lang::Fr),
                n,
                if n > 1 { "s" } else { "" },
                if n > 1 { "s" } else { "" }
            ),
            format!("Seat added: {}. {} selected.", place.get(Lang::En), n),
        )));
    }

    /// Places a hold on the selected seats (or the chosen quantity).
    /// With `best`, a seated performance lets the server pick the best adjacent seats for
    /// `quantity` places instead of the map selection.
    pub fn reserve(self, best: bool) {
        if self.feedback.busy.get_untracked() || self.held.hold.with_untracked(Option::is_some) {
            return;
        }
        let request = if self.seated && !best {
            let seats = self.pick.selection.get_untracked();
            if seats.is_empty() {
                self.feedback.alert.set(Some(Msg::new(
                    "Choisissez au moins une place.",
                    "Choose at least one seat.",
                )));
                return;
            }
            HoldRequest {
                performance_id: self.performance_id,
                seat_ids: Some(seats),
                quantity: None,
            }
        } else if self.seated {
            HoldRequest {
                performance_id: self.performance_id,
                seat_ids: None,
                quantity: Some(self.pick.quantity.get_untracked().clamp(1, self.max)),
            }
        } else {
            let wanted: i64 = self.pick.counts.with_untracked(|c| c.iter().sum());
            if wanted <= 0 {
                self.feedback.alert.set(Some(Msg::new(
                    "Indiquez combien de places vous voulez, tarif par tarif.",
                    "Choose how many places you want, for each price.",
                )));
                return;
            }
            HoldRequest {
                performance_id: self.performance_id,
                seat_ids: None,
                quantity: Some(wanted.min(self.max)),
            }
        };
        self.feedback.busy.set(true);
        self.feedback.alert.set(None);
        spawn_local(async move {
            let result = create_hold(request).await;
            let _ = self.feedback.busy.try_set(false);
            match result {
                Ok(hold) => {
                    if self.seated {
                        let _ = self.pick.selection.try_set(hold.seat_ids.clone());
                    }
                    let _ = self
                        .held
                        .deadline_ms
                        .try_set(Some(now_ms() + hold.seconds_left as f64 * 1000.0));
                    let _ = self.held.now_ms.try_set(now_ms());
                    let _ = self.held.hold.try_set(Some(hold));
                    let _ = self.feedback.notice.try_set(Some(Msg::new(
                        "Places bloquées pour vous : indiquez vos tarifs et coordonnées avant la fin du décompte.",
                        "Places held for you: choose your prices and enter your details before the countdown ends.",
                    )));
                    focus_later("#checkout-title");
                }
                Err(err) if err.error == ErrorCode::SeatsTaken => {
                    let lost = err.seat_ids.clone();
                    let _ = self.live.statuses.try_update(|st| {
                        for id in &lost {
                            st.insert(*id, SeatStatus::Held);
                        }
                    });
                    let _ = self
                        .pick
                        .selection
                        .try_update(|s| s.retain(|id| !lost.contains(id)));
                    let mut msg = Msg::from_error(&err);
                    if !lost.is_empty() {
                        let places = self.places_msg(&lost);
                        msg = Msg::new(
                            format!("{} ({})", msg.get(Lang::Fr), places.get(Lang::Fr)),
                            format!("{} ({})", msg.get(Lang::En), places.get(Lang::En)),
                        );
                    }
                    let _ = self.feedback.alert.try_set(Some(msg));
                    self.refresh();
                }
                Err(err) => {
                    let _ = self.feedback.alert.try_set(Some(Msg::from_error(&err)));
                    self.refresh();
                }
            }
        });
    }

    /// "Libérer": gives the places back.
    pub fn release(self) {
        let Some(hold) = self.held.hold.get_untracked() else {
            return;
        };
        self.feedback.busy.set(true);
        spawn_local(async move {
            let result = release_hold(hold.id.clone()).await;
            let _ = self.feedback.busy.try_set(false);
            match result {
                Ok(())
                | Err(crate::AppError {
                    error: ErrorCode::NotFound | ErrorCode::HoldExpired,
                    ..
                }) => {
                    self.reset();
                    let _ = self.live.statuses.try_update(|st| {
                        for id in &hold.seat_ids {
                            st.insert(*id, SeatStatus::Free);
                        }
                    });
                    let _ = self.feedback.notice.try_set(Some(Msg::new(
                        "Vos places ont été libérées.",
                        "Your places have been released.",
                    )));
                    self.refresh();
                }
                Err(err) => {
                    let _ = self.feedback.alert.try_set(Some(Msg::from_error(&err)));
                }
            }
        });
    }

    /// The hold ran out (countdown at zero, or the server said so).
    pub fn expire(self) {
        self.reset();
        let _ = self.feedback.alert.try_set(Some(Msg::new(
            "Délai dépassé, vos places ont été libérées.",
            "Time is up, your places have been released.",
        )));
        self.refresh();
    }

    /// Back to an empty selection, without hold or order.
    pub fn reset(self) {
        let _ = self.held.hold.try_set(None);
        let _ = self.held.deadline_ms.try_set(None);
        let _ = self.held.order.try_set(None);
        let _ = self.pick.selection.try_set(Vec::new());
        let _ = self.pick.tariffs.try_set(Vec::new());
        let _ = self.feedback.alert.try_set(None);
    }

    /// The basket line by line: the places held with the tariffs chosen for them; before a
    /// hold, the seats chosen (at their category's first tariff) or the counters.
    pub fn recap(self) -> Vec<RecapLine> {
        let tariffs = self.pick.tariffs.get();
        self.map.with_value(|m| {
            let price = |seat_id: Option<i64>, code: &str| -> Option<(String, i64)> {
                let list = match seat_id {
                    Some(id) => {
                        let seat = m.seats.iter().find(|s| s.id == id)?;
                        &category_of(m, seat)?.tariffs
                    }
                    None => &m.tariffs,
                };
                let t = list
                    .iter()
                    .find(|t| t.code == code)
                    .or_else(|| list.first())?;
                Some((t.code.clone(), t.price_cents))
            };
            let places: Vec<(String, i64)> = match self.held.hold.get() {
                Some(hold) if self.seated => hold
                    .seat_ids
                    .iter()
                    .enumerate()
                    .filter_map(|(i, id)| {
                        price(Some(*id), tariffs.get(i).map_or("", String::as_str))
                    })
                    .collect(),
                Some(hold) => (0..hold.quantity.max(0) as usize)
                    .filter_map(|i| price(None, tariffs.get(i).map_or("", String::as_str)))
                    .collect(),
                None if self.seated => self
                    .pick
                    .selection
                    .get()
                    .iter()
                    .filter_map(|id| price(Some(*id), ""))
                    .collect(),
                None => self.pick.counts.with(|counts| {
                    expand(&m.tariffs, counts)
                        .map(|t| (t.code.clone(), t.price_cents))
                        .collect()
                }),
            };
            recap(places.iter().map(|(code, cents)| (code.as_str(), *cents)))
        })
    }

    /// A tariff of this performance by code, to name it.
    pub fn tariff(self, code: &str) -> Option<Tariff> {
        self.map.with_value(|m| {
            m.tariffs
                .iter()
                .chain(m.categories.iter().flat_map(|c| c.tariffs.iter()))
                .find(|t| t.code == code)
                .cloned()
        })
    }

    /// Fetches the live seat states now.
    pub fn refresh(self) {
        let id = self.performance_id;
        spawn_local(async move {
            if let Ok(live) = get_live_state(id).await {
                self.apply_live(live);
            }
        });
    }

    /// Follows other buyers: updates seat states and drops selected seats someone else took.
    pub(super) fn apply_live(self, live: LiveState) {
        let taken: HashMap<i64, SeatStatus> = live.taken.into_iter().collect();
        let Some(current) = self.live.statuses.try_get_untracked() else {
            return;
        };
        let next: HashMap<i64, SeatStatus> = current
            .keys()
            .map(|id| (*id, taken.get(id).copied().unwrap_or(SeatStatus::Free)))
            .collect();
        if next != current {
            let _ = self.live.statuses.try_set(next);
        }
        if self.live.available.try_get_untracked() != Some(live.available) {
            let _ = self.live.available.try_set(live.available);
        }
        // Seats not yet held by us, and no hold request in flight: someone else may have taken them.
        let idle = self
            .held
            .hold
            .try_with_untracked(Option::is_none)
            .unwrap_or(false)
            && !self.feedback.busy.try_get_untracked().unwrap_or(true);
        if !idle {
            return;
        }
        let lost: Vec<i64> = self
            .pick
            .selection
            .try_with_untracked(|s| {
                s.iter()
                    .copied()
                    .filter(|id| taken.contains_key(id))
                    .collect()
            })
            .unwrap_or_default();
        if !lost.is_empty() {
            let _ = self
                .pick
                .selection
                .try_update(|s| s.retain(|id| !lost.contains(id)));
            let places = self.places_msg(&lost);
            let _ = self.feedback.alert.try_set(Some(Msg::new(
                format!(
                    "Cette sélection a changé : place prise par quelqu'un d'autre ({}).",
                    places.get(Lang::Fr)
                ),
                format!(
                    "Your selection changed: seat taken by someone else ({}).",
                    places.get(Lang::En)
                ),
            )));
        }
    }
}

/// Follows the live state (pushed, or polled every 3 s while the push is down) and ticks the
/// countdown every second (browser only).
pub fn start_timers(booking: Booking) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use std::time::Duration;
        let pushed = super::push::follow(booking);
        let poll = set_interval_with_handle(
            move || {
                if !pushed.get() {
                    booking.refresh();
                }
            },
            Duration::from_secs(3),
        )
        .ok();
        let tick = set_interval_with_handle(
            move || {
                let _ = booking.held.now_ms.try_set(now_ms());
                let Some(Some(deadline)) = booking.held.deadline_ms.try_get_untracked() else {
                    return;
                };
                let left = ((deadline - now_ms()) / 1000.0).ceil() as i64;
                if left <= 0 {
                    booking.expire();
                } else if left == 60 {
                    let _ = booking.feedback.notice.try_set(Some(Msg::new(
                        "Plus qu'une minute pour finaliser votre commande.",
                        "One minute left to complete your order.",
                    )));
                }
            },
            Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            super::push::stop();
            if let Some(h) = poll {
                h.clear();
            }
            if let Some(h) = tick {
                h.clear();
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = booking;
}
