//! `/scan`: the door staff's phone scanner.
//!
//! The page pairs with a door token (`/scan#token=…`, kept in localStorage, or opened for a
//! logged-in door staff member by `staff_door`), lets the user pick
//! a performance, then admits tickets read by the camera, typed by a hardware scanner (code +
//! Enter) or found by name. When the network is gone it decides with the offline list and
//! queues the admissions for upload (`offline.rs`).
//!
//! `state` holds the page state and pairing, `sync` what keeps up with the server, `scanning`
//! a scan and its result, `views` the screens, `browser` the start-up in the browser.
//!
//! The server renders a static shell with the pairing instructions; everything else happens in
//! the browser (`#[cfg(feature = "hydrate")]`).
#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod camera;
#[cfg(any(feature = "hydrate", test))]
mod decode;
mod feedback;
mod offline;
mod result;
mod scanning;
mod search;
mod staff_door;
mod state;
mod sync;
mod views;

pub use views::ScanPage;

use crate::door::ScanResult;

/// How long a result stays in front (scanner paused), in milliseconds.
const HOLD_VALID_MS: u32 = 2000;
const HOLD_REFUSED_MS: u32 = 3500;
/// The camera does not resubmit the code it just read for this long (a ticket still in view
/// after its green light must not turn amber).
const CAMERA_SAME_CODE_MS: f64 = 6000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Scan,
    Search,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Camera,
    Typed,
    Search,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum CameraState {
    Off,
    Starting,
    On,
    Failed(String),
}

/// The result on screen and what was scanned to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub res: ScanResult,
    /// Upper-cased code or ticket number.
    pub key: String,
    pub at_ms: f64,
}
