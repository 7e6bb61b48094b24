//! How far the seat map zooms, and where it stays anchored while it does: plain arithmetic,
//! shared by the buttons, the mouse wheel, the pinch and "tap a zone".
//!
//! Zoom 1 shows the whole hall in its box; at zoom z the map is z times the box's width. The
//! largest zoom makes seats at least `TOUCH_PX` apart (a fingertip's target), and never less
//! than `MIN_MAX_ZOOM`.
// The server renders zoom 1 only; the gestures are the browser's.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

/// The size of a comfortable touch target, CSS px (WCAG 2.5.5, Apple and Material guidance).
pub const TOUCH_PX: f64 = 44.0;
pub const MIN_MAX_ZOOM: f64 = 2.0;
/// One press of "+" or "−".
pub const STEP: f64 = 1.5;

/// The zoom at which seats `pitch` map units apart are `TOUCH_PX` apart, for a map `width`
/// units wide shown in a box `box_px` wide.
pub fn max_zoom(pitch: f64, width: f64, box_px: f64) -> f64 {
    if pitch <= 0.0 || width <= 0.0 || box_px <= 0.0 {
        return MIN_MAX_ZOOM;
    }
    let pitch_px_at_fit = pitch * box_px / width;
    (TOUCH_PX / pitch_px_at_fit).max(MIN_MAX_ZOOM)
}

pub fn clamp(zoom: f64, max: f64) -> f64 {
    if zoom.is_finite() {
        zoom.clamp(1.0, max.max(1.0))
    } else {
        1.0
    }
}

/// The next zoom for "+" (`inward`) or "−": a step, snapping to the ends when near them.
pub fn step(zoom: f64, inward: bool, max: f64) -> f64 {
    let next = if inward { zoom * STEP } else { zoom / STEP };
    let next = clamp(next, max);
    if inward && max / next < 1.15 {
        clamp(max, max)
    } else if !inward && next < 1.15 {
        1.0
    } else {
        next
    }
}

/// The scroll offset that keeps the point `at` (px from the box's edge) over the same spot of
/// the map when the zoom goes from `from` to `to`.
pub fn anchored_scroll(scroll: f64, at: f64, from: f64, to: f64) -> f64 {
    if from <= 0.0 {
        return scroll;
    }
    ((scroll + at) * to / from - at).max(0.0)
}

/// The zoom during a pinch: the one at its start, scaled as the fingers spread.
pub fn pinch(start_zoom: f64, start_distance: f64, distance: f64, max: f64) -> f64 {
    if start_distance < 1.0 {
        return clamp(start_zoom, max);
    }
    clamp(start_zoom * distance / start_distance, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_reach_a_fingertip_apart() {
        // The demo theatre: seats 34 units apart on an 815-unit map, in a 326 px box: 13.6 px
        // at fit, so 44 px needs a zoom of about 3.2.
        let z = max_zoom(34.0, 815.0, 326.0);
        assert!((z - 3.235).abs() < 0.01, "{z}");
        assert!((34.0 * 326.0 / 815.0 * z - TOUCH_PX).abs() < 1e-9);
        // A small hall on a desktop already fits fingers: zoom still allowed to 2.
        assert_eq!(max_zoom(60.0, 600.0, 1200.0), MIN_MAX_ZOOM);
        assert_eq!(max_zoom(0.0, 600.0, 1200.0), MIN_MAX_ZOOM);
    }

    #[test]
    fn steps_stay_within_fit_and_the_largest_zoom() {
        assert_eq!(step(1.0, false, 3.0), 1.0);
        assert_eq!(step(1.0, true, 3.0), 1.5);
        assert_eq!(step(2.25, true, 3.0), 3.0);
        assert_eq!(step(3.0, true, 3.0), 3.0);
        assert_eq!(step(1.5, false, 3.0), 1.0);
        assert_eq!(clamp(f64::NAN, 3.0), 1.0);
        assert_eq!(clamp(0.2, 3.0), 1.0);
    }

    #[test]
    fn the_point_under_the_fingers_stays_put() {
        // Zooming 1 → 2 around the box's middle (160 px), not scrolled: the map point at 160
        // moves to 320, so the box scrolls by 160.
        assert_eq!(anchored_scroll(0.0, 160.0, 1.0, 2.0), 160.0);
        // And back.
        assert_eq!(anchored_scroll(160.0, 160.0, 2.0, 1.0), 0.0);
        assert_eq!(anchored_scroll(10.0, 0.0, 1.0, 1.0), 10.0);
        assert_eq!(anchored_scroll(10.0, 5.0, 0.0, 2.0), 10.0);
    }

    #[test]
    fn a_pinch_follows_the_fingers() {
        assert_eq!(pinch(1.0, 100.0, 200.0, 4.0), 2.0);
        assert_eq!(pinch(2.0, 100.0, 50.0, 4.0), 1.0);
        assert_eq!(pinch(2.0, 100.0, 1000.0, 4.0), 4.0);
        assert_eq!(pinch(2.0, 0.0, 50.0, 4.0), 2.0);
    }
}
