//! The seat map's view in its box: whole hall at zoom 1, then zoomed by the buttons, the mouse
//! wheel (with Ctrl, or a trackpad's pinch), two fingers, or a tap on a zone's name; panned by
//! scrolling the box (one finger, the wheel, or dragging with the mouse). The arithmetic is in
//! `zoom`; this module applies it to the page.
use super::zoom;
use leptos::prelude::*;

/// What the controls share. `Copy`, so it moves into every handler.
#[derive(Clone, Copy)]
pub struct MapView {
    pub zoom: RwSignal<f64>,
    pub scroll: NodeRef<leptos::html::Div>,
    pub svg: NodeRef<leptos::svg::Svg>,
    /// Seat spacing and map width, in map units (read by the browser's gestures).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub pitch: f64,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub width: f64,
    /// A mouse drag just ended: the click that follows is not a seat's.
    pub dragged: StoredValue<bool>,
}

impl MapView {
    pub fn new(pitch: f64, width: f64) -> MapView {
        MapView {
            zoom: RwSignal::new(1.0),
            scroll: NodeRef::new(),
            svg: NodeRef::new(),
            pitch,
            width,
            dragged: StoredValue::new(false),
        }
    }

    /// "+" / "−", around the middle of the box.
    pub fn step(self, inward: bool) {
        let to = zoom::step(self.zoom.get_untracked(), inward, self.max());
        self.set(to, None);
    }

    /// Was the click that just came the end of a drag? (And forget it.)
    pub fn take_dragged(self) -> bool {
        let was = self.dragged.get_value();
        self.dragged.set_value(false);
        was
    }
}

#[cfg(not(feature = "hydrate"))]
impl MapView {
    pub fn max(self) -> f64 {
        zoom::MIN_MAX_ZOOM
    }
    pub fn set(self, to: f64, _at: Option<(f64, f64)>) {
        self.zoom.set(to);
    }
    pub fn focus_on(self, _x: f64, _y: f64) {}
    pub fn show_seat(self, _id: i64) {}
    pub fn install(self) {}
}

#[cfg(feature = "hydrate")]
impl MapView {
    fn box_el(self) -> Option<web_sys::Element> {
        use wasm_bindgen::JsCast;
        self.scroll
            .get_untracked()
            .map(|d| d.unchecked_into::<web_sys::Element>())
    }

    fn box_size(self) -> (f64, f64) {
        self.box_el()
            .map(|b| (f64::from(b.client_width()), f64::from(b.client_height())))
            .unwrap_or((0.0, 0.0))
    }

    /// Zoom at which seats are a fingertip apart in this box.
    /// The map's width at zoom 1, CSS px: the box's less its padding (measured on the map,
    /// which is that wide times the zoom).
    fn fit_width(self) -> f64 {
        use wasm_bindgen::JsCast;
        self.svg
            .get_untracked()
            .map(|svg| {
                let svg: web_sys::Element = svg.unchecked_into();
                svg.get_bounding_client_rect().width() / self.zoom.get_untracked().max(1.0)
            })
            .unwrap_or_else(|| self.box_size().0)
    }

    pub fn max(self) -> f64 {
        zoom::max_zoom(self.pitch, self.width, self.fit_width())
    }

    /// Zooms to `to`, keeping the point `at` (px in the box; its middle by default) in place.
    pub fn set(self, to: f64, at: Option<(f64, f64)>) {
        use wasm_bindgen::JsCast;
        let (Some(b), Some(svg)) = (self.box_el(), self.svg.get_untracked()) else {
            return;
        };
        let svg: web_sys::Element = svg.unchecked_into();
        let from = self.zoom.get_untracked();
        let to = zoom::clamp(to, self.max());
        let (w, h) = self.box_size();
        let (ax, ay) = at.unwrap_or((w / 2.0, h / 2.0));
        let left = zoom::anchored_scroll(f64::from(b.scroll_left()), ax, from, to);
        let top = zoom::anchored_scroll(f64::from(b.scroll_top()), ay, from, to);
        // Set here and now (not through a signal's effect), so the box can scroll into the
        // new size at once.
        let style = if to > 1.0 {
            format!("width:{:.1}%;max-height:none", to * 100.0)
        } else {
            String::new()
        };
        let _ = svg.set_attribute("style", &style);
        b.set_scroll_left(left.round() as i32);
        b.set_scroll_top(top.round() as i32);
        self.zoom.set(to);
    }

    /// Zooms in to seat size on the map point (`x`, `y`), shown near the top middle.
    pub fn focus_on(self, x: f64, y: f64) {
        let Some(b) = self.box_el() else { return };
        let to = self.max();
        self.set(to, None);
        let (w, _) = self.box_size();
        let px_per_unit = self.fit_width() * to / self.width.max(1.0);
        b.set_scroll_left((x * px_per_unit - w / 2.0).max(0.0).round() as i32);
        b.set_scroll_top((y * px_per_unit - 40.0).max(0.0).round() as i32);
    }

    /// Scrolls the box (not the page) just enough to show the seat.
    pub fn show_seat(self, id: i64) {
        let Some(b) = self.box_el() else { return };
        let Ok(Some(seat)) = b.query_selector(&format!("[data-seat-id=\"{id}\"]")) else {
            return;
        };
        let (outer, inner) = (
            b.get_bounding_client_rect(),
            seat.get_bounding_client_rect(),
        );
        let margin = 24.0;
        let dx = if inner.left() < outer.left() + margin {
            inner.left() - outer.left() - margin
        } else if inner.right() > outer.right() - margin {
            inner.right() - outer.right() + margin
        } else {
            0.0
        };
        let dy = if inner.top() < outer.top() + margin {
            inner.top() - outer.top() - margin
        } else if inner.bottom() > outer.bottom() - margin {
            inner.bottom() - outer.bottom() + margin
        } else {
            0.0
        };
        b.set_scroll_left((f64::from(b.scroll_left()) + dx).round() as i32);
        b.set_scroll_top((f64::from(b.scroll_top()) + dy).round() as i32);
    }

    /// The listeners the browser must not treat as passive (Ctrl+wheel and pinch would zoom
    /// the whole page), and the mouse drag; removed when the map goes.
    pub fn install(self) {
        use std::cell::RefCell;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        const EVENTS: [&str; 9] = [
            "wheel",
            "touchstart",
            "touchmove",
            "touchend",
            "touchcancel",
            "pointerdown",
            "pointermove",
            "pointerup",
            "pointercancel",
        ];

        #[derive(Default)]
        struct Gesture {
            /// Distance between two fingers and the zoom when they landed.
            pinch: Option<(f64, f64)>,
            /// A mouse button down: where (client px), and the box's scroll then.
            drag: Option<(f64, f64, i32, i32)>,
        }

        Effect::new(move |_| {
            let Some(b) = self.scroll.get() else { return };
            let b: web_sys::Element = b.unchecked_into();
            let two_fingers = |ev: &web_sys::TouchEvent| {
                let t = ev.touches();
                match (t.item(0), t.item(1)) {
                    (Some(a), Some(c)) if t.length() == 2 => {
                        let (ax, ay) = (f64::from(a.client_x()), f64::from(a.client_y()));
                        let (cx, cy) = (f64::from(c.client_x()), f64::from(c.client_y()));
                        Some(((ax - cx).hypot(ay - cy), ((ax + cx) / 2.0, (ay + cy) / 2.0)))
                    }
                    _ => None,
                }
            };
            // One handler for every event of the gestures.
            let state = RefCell::new(Gesture::default());
            let b2 = b.clone();
            let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let b = &b2;
                let in_box = |x: f64, y: f64| {
                    let r = b.get_bounding_client_rect();
                    (x - r.left(), y - r.top())
                };
                if let Some(w) = ev.dyn_ref::<web_sys::WheelEvent>() {
                    if w.ctrl_key() || w.meta_key() {
                        ev.prevent_default();
                        let at = in_box(f64::from(w.client_x()), f64::from(w.client_y()));
                        let factor = (-w.delta_y() * 0.01).clamp(-0.5, 0.5).exp();
                        self.set(self.zoom.get_untracked() * factor, Some(at));
                    }
                } else if let Some(t) = ev.dyn_ref::<web_sys::TouchEvent>() {
                    let mut g = state.borrow_mut();
                    match ev.type_().as_str() {
                        "touchstart" => {
                            g.pinch = two_fingers(t).map(|(d, _)| (d, self.zoom.get_untracked()));
                        }
                        "touchmove" => {
                            let (Some((d0, z0)), Some((d, (mx, my)))) = (g.pinch, two_fingers(t))
                            else {
                                return;
                            };
                            if ev.cancelable() {
                                ev.prevent_default();
                            }
                            let to = zoom::pinch(z0, d0, d, self.max());
                            self.set(to, Some(in_box(mx, my)));
                        }
                        _ if t.touches().length() < 2 => g.pinch = None,
                        _ => {}
                    }
                } else if let Some(p) = ev.dyn_ref::<web_sys::PointerEvent>() {
                    let mut g = state.borrow_mut();
                    let (x, y) = (f64::from(p.client_x()), f64::from(p.client_y()));
                    match ev.type_().as_str() {
                        "pointerdown" => {
                            self.dragged.set_value(false);
                            g.drag = (p.pointer_type() == "mouse" && p.button() == 0)
                                .then(|| (x, y, b.scroll_left(), b.scroll_top()));
                        }
                        "pointermove" => {
                            let Some((x0, y0, left, top)) = g.drag else {
                                return;
                            };
                            let (dx, dy) = (x - x0, y - y0);
                            if p.buttons() & 1 == 0
                                || (!self.dragged.get_value() && dx.hypot(dy) < 5.0)
                            {
                                return;
                            }
                            self.dragged.set_value(true);
                            b.set_scroll_left(left - dx.round() as i32);
                            b.set_scroll_top(top - dy.round() as i32);
                        }
                        _ => g.drag = None,
                    }
                }
            });
            let options = web_sys::AddEventListenerOptions::new();
            options.set_passive(false);
            for name in EVENTS {
                let _ = b.add_event_listener_with_callback_and_add_event_listener_options(
                    name,
                    handler.as_ref().unchecked_ref(),
                    &options,
                );
            }
            let kept = StoredValue::new_local(Some((b, handler)));
            on_cleanup(move || {
                let Some((b, handler)) = kept.try_update_value(Option::take).flatten() else {
                    return;
                };
                for name in EVENTS {
                    let _ = b.remove_event_listener_with_callback(
                        name,
                        handler.as_ref().unchecked_ref(),
                    );
                }
            });
        });
    }
}
