//! The rear camera and the QR reader (browser only). The native `BarcodeDetector` reads the
//! video when the browser has one (Chrome on Android); otherwise a downscaled frame is drawn on
//! a canvas and decoded in wasm (`decode.rs`). One decode at a time.
use super::decode::decode_rgba;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

/// Frames are decoded at this width at most (enough for a ticket QR held 15–30 cm away).
const MAX_WIDTH: u32 = 640;

struct Camera {
    stream: MediaStream,
    video: HtmlVideoElement,
    /// `new BarcodeDetector({formats: ["qr_code"]})`, when available and working.
    detector: Option<JsValue>,
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    busy: bool,
}

thread_local! {
    static CAMERA: RefCell<Option<Camera>> = const { RefCell::new(None) };
}

fn js(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn error_name(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &js("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

pub fn is_running() -> bool {
    CAMERA.with(|c| c.borrow().is_some())
}

/// Opens the rear camera into `video`. The error is the DOM exception name
/// (`NotAllowedError`, `NotFoundError`…).
pub async fn start(video: HtmlVideoElement) -> Result<(), String> {
    stop();
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let has_devices = js_sys::Reflect::get(&navigator, &js("mediaDevices"))
        .map(|d| d.is_object())
        .unwrap_or(false);
    if !has_devices {
        return Err("NotSupportedError".into());
    }
    let devices = navigator.media_devices().map_err(|e| error_name(&e))?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video_constraints = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&video_constraints, &js("facingMode"), &js("environment"));
    let _ = js_sys::Reflect::set(&video_constraints, &js("width"), &JsValue::from(1280));
    constraints.set_video(&video_constraints);
    constraints.set_audio_bool(false);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|e| error_name(&e))?;
    let stream: MediaStream = JsFuture::from(promise)
        .await
        .map_err(|e| error_name(&e))?
        .dyn_into()
        .map_err(|_| "TypeError".to_string())?;
    // iOS Safari plays inline only when muted and `playsinline`.
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    video.set_src_object(Some(&stream));
    if let Ok(p) = video.play() {
        let _ = JsFuture::from(p).await;
    }
    let detector = native_detector().await;
    CAMERA.with(|c| {
        *c.borrow_mut() = Some(Camera {
            stream,
            video,
            detector,
            canvas: None,
            busy: false,
        })
    });
    Ok(())
}

/// Stops every track (the camera light goes off).
pub fn stop() {
    if let Some(cam) = CAMERA.with(|c| c.borrow_mut().take()) {
        for track in cam.stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
        cam.video.set_src_object(None);
    }
}

/// `BarcodeDetector` when the browser has it and it reads QR codes.
async fn native_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &js("BarcodeDetector"))
        .ok()?
        .dyn_into()
        .ok()?;
    if let Ok(Ok(get_formats)) = js_sys::Reflect::get(&ctor, &js("getSupportedFormats"))
        .map(|f| f.dyn_into::<js_sys::Function>())
    {
        let promise: js_sys::Promise = get_formats.call0(&ctor).ok()?.dyn_into().ok()?;
        let formats: js_sys::Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        if !formats.includes(&js("qr_code"), 0) {
            return None;
        }
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &options,
        &js("formats"),
        &js_sys::Array::of1(&js("qr_code")),
    );
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&options)).ok()
}

/// Reads the current frame; calls `on_code` with the first QR text found. Does nothing while a
/// previous decode is still running or before the video has a frame.
pub fn tick(on_code: impl FnOnce(String) + 'static) {
    enum Job {
        Native(JsValue, HtmlVideoElement),
        Frame(Vec<u8>, u32, u32),
    }
    let job = CAMERA.with(|c| {
        let mut c = c.borrow_mut();
        let cam = c.as_mut()?;
        // HAVE_CURRENT_DATA
        if cam.busy || cam.video.ready_state() < 2 {
            return None;
        }
        if let Some(det) = &cam.detector {
            cam.busy = true;
            return Some(Job::Native(det.clone(), cam.video.clone()));
        }
        grab_frame(cam).map(|(rgba, w, h)| Job::Frame(rgba, w, h))
    });
    match job {
        None => {}
        Some(Job::Frame(rgba, w, h)) => {
            if let Some(code) = decode_rgba(&rgba, w as usize, h as usize) {
                on_code(code);
            }
        }
        Some(Job::Native(det, video)) => leptos::task::spawn_local(async move {
            let found = detect_native(&det, &video).await;
            CAMERA.with(|c| {
                if let Some(cam) = c.borrow_mut().as_mut() {
                    cam.busy = false;
                    // A detector that throws is dropped: the wasm decoder takes over.
                    if found.is_err() {
                        cam.detector = None;
                    }
                }
            });
            if let Ok(Some(code)) = found {
                on_code(code);
            }
        }),
    }
}

async fn detect_native(det: &JsValue, video: &HtmlVideoElement) -> Result<Option<String>, JsValue> {
    let detect: js_sys::Function = js_sys::Reflect::get(det, &js("detect"))?.dyn_into()?;
    let promise: js_sys::Promise = detect.call1(det, video)?.dyn_into()?;
    let found: js_sys::Array = JsFuture::from(promise).await?.dyn_into()?;
    Ok(found.iter().find_map(|b| {
        js_sys::Reflect::get(&b, &js("rawValue"))
            .ok()?
            .as_string()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }))
}

/// Draws the video, downscaled, on an off-screen canvas and returns its RGBA pixels.
fn grab_frame(cam: &mut Camera) -> Option<(Vec<u8>, u32, u32)> {
    let (vw, vh) = (cam.video.video_width(), cam.video.video_height());
    if vw == 0 || vh == 0 {
        return None;
    }
    let w = vw.min(MAX_WIDTH);
    let h = ((vh as u64 * w as u64) / vw as u64).max(1) as u32;
    if cam.canvas.is_none() {
        let doc = web_sys::window()?.document()?;
        let canvas: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &js("willReadFrequently"), &JsValue::TRUE);
        let get_context: js_sys::Function = js_sys::Reflect::get(&canvas, &js("getContext"))
            .ok()?
            .dyn_into()
            .ok()?;
        let ctx: CanvasRenderingContext2d = get_context
            .call2(&canvas, &js("2d"), &options)
            .ok()?
            .dyn_into()
            .ok()?;
        cam.canvas = Some((canvas, ctx));
    }
    let (canvas, ctx) = cam.canvas.as_ref()?;
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    ctx.draw_image_with_html_video_element_and_dw_and_dh(&cam.video, 0.0, 0.0, w as f64, h as f64)
        .ok()?;
    let data = ctx.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?;
    Some((data.data().0, w, h))
}
