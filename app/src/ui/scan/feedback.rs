//! Vibration and a short beep after each scan. Both are optional: iPhones have no vibration API,
//! and audio needs a first tap to be allowed; anything missing is skipped silently.

/// Short buzz for an admission, a long pattern for a refusal.
pub fn signal(ok: bool) {
    #[cfg(feature = "hydrate")]
    {
        vibrate(if ok {
            &[90]
        } else {
            &[250, 120, 250, 120, 250]
        });
        beep(ok);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ok;
}

/// Creates (or resumes) the audio context; call from a user gesture (browsers require one).
pub fn unlock_audio() {
    #[cfg(feature = "hydrate")]
    AUDIO.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_none() {
            *a = web_sys::AudioContext::new().ok();
        }
        if let Some(ctx) = a.as_ref() {
            let _ = ctx.resume();
        }
    });
}

#[cfg(feature = "hydrate")]
thread_local! {
    static AUDIO: std::cell::RefCell<Option<web_sys::AudioContext>> =
        const { std::cell::RefCell::new(None) };
}

#[cfg(feature = "hydrate")]
fn vibrate(pattern: &[u32]) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&nav, &JsValue::from_str("vibrate")) else {
        return;
    };
    if let Ok(f) = f.dyn_into::<js_sys::Function>() {
        let arr: js_sys::Array = pattern.iter().map(|&ms| JsValue::from(ms)).collect();
        let _ = f.call1(&nav, &arr);
    }
}

#[cfg(feature = "hydrate")]
fn beep(ok: bool) {
    AUDIO.with(|a| {
        let a = a.borrow();
        let Some(ctx) = a.as_ref() else {
            return;
        };
        let play = || -> Result<(), wasm_bindgen::JsValue> {
            let osc = ctx.create_oscillator()?;
            let gain = ctx.create_gain()?;
            osc.set_type(web_sys::OscillatorType::Square);
            osc.frequency().set_value(if ok { 1320.0 } else { 220.0 });
            gain.gain().set_value(0.08);
            osc.connect_with_audio_node(&gain)?;
            gain.connect_with_audio_node(&ctx.destination())?;
            let now = ctx.current_time();
            osc.start()?;
            osc.stop_with_when(now + if ok { 0.12 } else { 0.45 })?;
            Ok(())
        };
        let _ = play();
    });
}
