//! A show's poster as the back office uploads it: what is accepted is decided from the bytes,
//! never from the file name or the `Content-Type` a browser sends (a renamed PDF or an SVG with
//! scripts is not an image we serve).
use serde::{Deserialize, Serialize};

/// Posters are web images, not print masters: 3 MiB holds a 2,000-pixel JPEG with room to spare.
pub const MAX_POSTER_BYTES: usize = 3 * 1024 * 1024;
/// Smaller than this on either side and it is a thumbnail, not a poster.
pub const MIN_SIDE: u64 = 100;
/// Larger than this and a phone would decode 100 MB of pixels for a 300-pixel card.
pub const MAX_SIDE: u64 = 6_000;

/// The image formats every browser shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PosterFormat {
    Jpeg,
    Png,
    Webp,
}

impl PosterFormat {
    /// As stored and in JSON: `jpeg`, `png`, `webp`.
    pub fn code(self) -> &'static str {
        match self {
            PosterFormat::Jpeg => "jpeg",
            PosterFormat::Png => "png",
            PosterFormat::Webp => "webp",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            PosterFormat::Jpeg => "image/jpeg",
            PosterFormat::Png => "image/png",
            PosterFormat::Webp => "image/webp",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            PosterFormat::Jpeg => "jpg",
            PosterFormat::Png => "png",
            PosterFormat::Webp => "webp",
        }
    }
    pub fn from_extension(ext: &str) -> Option<PosterFormat> {
        match ext {
            "jpg" => Some(PosterFormat::Jpeg),
            "png" => Some(PosterFormat::Png),
            "webp" => Some(PosterFormat::Webp),
            _ => None,
        }
    }
}

/// What an accepted upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosterImage {
    pub format: PosterFormat,
    pub width: u64,
    pub height: u64,
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PosterProblem {
    Empty,
    TooLarge {
        bytes: usize,
    },
    /// Not JPEG, PNG or WebP (what it looks like, if anything).
    NotAnImage,
    /// A side is outside [`MIN_SIDE`, `MAX_SIDE`].
    Dimensions {
        width: u64,
        height: u64,
    },
}

/// Reads the format and the size from the file's own header.
#[cfg(feature = "ssr")]
pub fn inspect(bytes: &[u8]) -> Result<PosterImage, PosterProblem> {
    use imagesize::ImageType;
    if bytes.is_empty() {
        return Err(PosterProblem::Empty);
    }
    if bytes.len() > MAX_POSTER_BYTES {
        return Err(PosterProblem::TooLarge { bytes: bytes.len() });
    }
    let format = match imagesize::image_type(bytes) {
        Ok(ImageType::Jpeg) => PosterFormat::Jpeg,
        Ok(ImageType::Png) => PosterFormat::Png,
        Ok(ImageType::Webp) => PosterFormat::Webp,
        _ => return Err(PosterProblem::NotAnImage),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| PosterProblem::NotAnImage)?;
    let (width, height) = (size.width as u64, size.height as u64);
    let side = MIN_SIDE..=MAX_SIDE;
    if !side.contains(&width) || !side.contains(&height) {
        return Err(PosterProblem::Dimensions { width, height });
    }
    Ok(PosterImage {
        format,
        width,
        height,
    })
}

/// The name a poster is served under: the show, a digest of the bytes (a new poster is a new
/// URL, so the old one may be cached for ever) and the format's extension.
pub fn file_name(show_id: i64, digest_hex: &str, format: PosterFormat) -> String {
    let short: String = digest_hex.chars().take(16).collect();
    format!("{show_id}-{short}.{}", format.extension())
}

/// Parses a served name back: `(show id, format)`, or None for anything else (so a request
/// path never reaches storage unchecked).
pub fn parse_file_name(name: &str) -> Option<(i64, PosterFormat)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let format = PosterFormat::from_extension(ext)?;
    let (show, digest) = stem.split_once('-')?;
    let show_id: i64 = show.parse().ok().filter(|id| *id > 0)?;
    let ok = digest.len() == 16
        && digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    ok.then_some((show_id, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_names_round_trip_and_nothing_else_parses() {
        let name = file_name(42, "0123456789abcdef0123", PosterFormat::Webp);
        assert_eq!(name, "42-0123456789abcdef.webp");
        assert_eq!(parse_file_name(&name), Some((42, PosterFormat::Webp)));
        for bad in [
            "42-0123456789abcdef.svg",
            "42-0123456789ABCDEF.png",
            "0-0123456789abcdef.png",
            "x-0123456789abcdef.png",
            "42-0123.png",
            "../42-0123456789abcdef.png",
            "42-0123456789abcdef",
        ] {
            assert_eq!(parse_file_name(bad), None, "{bad}");
        }
    }

    #[cfg(feature = "ssr")]
    mod bytes {
        use super::super::*;

        /// A valid PNG header (signature + IHDR) of the given size; enough for the sniffer.
        pub fn png(width: u32, height: u32) -> Vec<u8> {
            let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
            b.extend_from_slice(&13u32.to_be_bytes());
            b.extend_from_slice(b"IHDR");
            b.extend_from_slice(&width.to_be_bytes());
            b.extend_from_slice(&height.to_be_bytes());
            b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
            b
        }

        #[test]
        fn the_format_and_size_come_from_the_bytes() {
            assert_eq!(
                inspect(&png(800, 1200)),
                Ok(PosterImage {
                    format: PosterFormat::Png,
                    width: 800,
                    height: 1200
                })
            );
            // A JPEG: SOI, then a SOF0 segment giving 300 × 400.
            let jpeg = [
                0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x01, 0x2c, 0x03, 0x01, 0x22,
                0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
            ];
            assert_eq!(
                inspect(&jpeg).map(|p| (p.format, p.width, p.height)),
                Ok((PosterFormat::Jpeg, 300, 400))
            );
        }

        #[test]
        fn what_is_not_a_poster_is_refused() {
            assert_eq!(inspect(b""), Err(PosterProblem::Empty));
            assert_eq!(inspect(b"%PDF-1.7 ..."), Err(PosterProblem::NotAnImage));
            assert_eq!(
                inspect(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"),
                Err(PosterProblem::NotAnImage)
            );
            // GIF is an image, but not one we take.
            assert_eq!(
                inspect(b"GIF89a\x20\x03\x58\x02\x00\x00\x00"),
                Err(PosterProblem::NotAnImage)
            );
            assert_eq!(
                inspect(&png(40, 60)),
                Err(PosterProblem::Dimensions {
                    width: 40,
                    height: 60
                })
            );
            assert_eq!(
                inspect(&png(800, 9000)),
                Err(PosterProblem::Dimensions {
                    width: 800,
                    height: 9000
                })
            );
            let mut big = png(800, 1200);
            big.resize(MAX_POSTER_BYTES + 1, 0);
            assert_eq!(
                inspect(&big),
                Err(PosterProblem::TooLarge {
                    bytes: MAX_POSTER_BYTES + 1
                })
            );
        }
    }
}
