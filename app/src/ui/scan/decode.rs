//! QR decoding in Rust (`rqrr`), for browsers without the native `BarcodeDetector`: the camera
//! frame arrives as RGBA pixels from a canvas, becomes luma, and the first readable grid wins.

/// RGBA (as `getImageData` gives it) to 8-bit luma, ITU-R BT.601 weights in integers.
pub fn rgba_to_luma(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32) >> 8) as u8)
        .collect()
}

/// The text of the first QR code found in a `w`×`h` luma image.
pub fn decode_luma(luma: &[u8], w: usize, h: usize) -> Option<String> {
    if w == 0 || h == 0 || luma.len() < w * h {
        return None;
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    img.detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// The text of the first QR code found in an RGBA frame.
pub fn decode_rgba(rgba: &[u8], w: usize, h: usize) -> Option<String> {
    decode_luma(&rgba_to_luma(rgba), w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `text` as a QR code (`scale` pixels per module, 4-module quiet zone), centred
    /// on a white `w`×`h` RGBA canvas.
    fn render(text: &str, scale: usize, w: usize, h: usize) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let n = code.width();
        let colors = code.to_colors();
        let size = n * scale;
        let (ox, oy) = ((w - size) / 2, (h - size) / 2);
        let mut rgba = vec![255u8; w * h * 4];
        for y in 0..size {
            for x in 0..size {
                if colors[(y / scale) * n + x / scale] == qrcode::Color::Dark {
                    let i = ((oy + y) * w + ox + x) * 4;
                    rgba[i..i + 3].copy_from_slice(&[20, 20, 30]);
                }
            }
        }
        rgba
    }

    #[test]
    fn decodes_a_ticket_code_from_a_camera_sized_frame() {
        // A version-1 ticket code: 125 base32 characters.
        let code = "AEAQAAAAGAAAAAAAAAAAHMQ".to_string()
            + &"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(4)[..102];
        assert_eq!(code.len(), 125);
        let frame = render(&code, 5, 640, 480);
        assert_eq!(
            decode_rgba(&frame, 640, 480).as_deref(),
            Some(code.as_str())
        );
    }

    #[test]
    fn nothing_in_a_blank_frame() {
        assert_eq!(decode_rgba(&vec![255u8; 320 * 240 * 4], 320, 240), None);
        assert_eq!(decode_luma(&[], 0, 0), None);
        assert_eq!(
            rgba_to_luma(&[255, 255, 255, 255, 0, 0, 0, 255]),
            vec![255, 0]
        );
    }
}
