//! Live seat states pushed by the server (`EventSource` on `/api/v1/performances/{id}/events`).
//! While the stream is open the page does not poll; when it breaks (no support, a proxy that
//! cuts it, the server dropping a slow reader) polling takes over until it reconnects.
use super::state::Booking;
use crate::dto::LiveState;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

struct Open {
    source: EventSource,
    _on_seats: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
}

/// Opens the stream; the returned flag says whether it is delivering.
pub fn follow(booking: Booking) -> Rc<Cell<bool>> {
    stop();
    let live = Rc::new(Cell::new(false));
    let url = format!("/api/v1/performances/{}/events", booking.performance_id);
    let Ok(source) = EventSource::new(&url) else {
        return live;
    };
    let on_seats = {
        let live = live.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            if let Ok(state) = serde_json::from_str::<LiveState>(&text) {
                live.set(true);
                booking.apply_live(state);
            }
        })
    };
    let on_error = {
        let live = live.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(false))
    };
    let _ = source.add_event_listener_with_callback("seats", on_seats.as_ref().unchecked_ref());
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    OPEN.with(|o| {
        *o.borrow_mut() = Some(Open {
            source,
            _on_seats: on_seats,
            _on_error: on_error,
        })
    });
    live
}

/// Closes the stream (leaving the page).
pub fn stop() {
    OPEN.with(|o| {
        if let Some(open) = o.borrow_mut().take() {
            open.source.close();
        }
    });
}
