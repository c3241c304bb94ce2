//! # yima-labels
//!
//! Printable labels for trace codes, shared by the node (`/qr/{code}.png|svg` on the scan page) and the `yima
//! label` CLI command (label sheets):
//!
//! - [`digital_link_url`] — the GS1 Digital Link URL of a [`TraceCode`] on a resolver (`https://id.example.com`
//!   → `https://id.example.com/01/06970000000017/21/DP0001`; NMPA and cold-chain codes as `{base}/code/{code}`);
//! - [`qr_svg`] / [`qr_png`] — that URL as a QR code (error correction M, quiet zone of 4 modules), as SVG text
//!   or PNG bytes (8-bit greyscale);
//! - [`label_sheet_svg`] — an A4 sheet of labels (QR + the code in words), one SVG ready to print.
//!
//! Every text put into SVG goes through [`escape`]: GS1 serials may hold `<`, `&` and quotes (CSET 82).

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};
use yima_codes::TraceCode;

/// Why a label could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// The text does not fit in a QR code.
    #[error("{len} bytes do not fit in a QR code: shorten the resolver base URL")]
    TooLong {
        /// The text's length.
        len: usize,
    },
    /// PNG encoding failed.
    #[error("cannot write the PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// The GS1 Digital Link URL of `code` on the resolver at `base` (scheme and host, any trailing `/` ignored):
/// `{base}/01/{gtin}/21/{serial}` or `{base}/00/{sscc}` for GS1 codes, `{base}/code/{code}` for NMPA and
/// cold-chain codes (which have no Digital Link form). The node's scan page answers each.
pub fn digital_link_url(base: &str, code: &TraceCode) -> String {
    let base = base.trim_end_matches('/');
    match code.digital_link(base) {
        Some(url) => url,
        None => format!("{base}/code/{code}"),
    }
}

fn encode(text: &str) -> Result<QrCode, LabelError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| LabelError::TooLong { len: text.len() })
}

/// `text` as a QR code in SVG (black modules on white, quiet zone included), `size` pixels minimum per side.
pub fn qr_svg(text: &str, size: u32) -> Result<String, LabelError> {
    let code = encode(text)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(size, size)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// Modules of quiet zone around the symbol (ISO 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// `text` as a QR code in PNG (8-bit greyscale), `scale` pixels per module (at least 1), quiet zone included.
pub fn qr_png(text: &str, scale: u32) -> Result<Vec<u8>, LabelError> {
    let code = encode(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let scale = scale.max(1) as usize;
    let side = (modules + 2 * QUIET_ZONE) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for y in my * scale..(my + 1) * scale {
                pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
            }
        }
    }
    let mut out = Vec::with_capacity(side * side / 8);
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(out)
}

/// `text` escaped for XML and HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One label on a sheet: what it encodes and the words printed under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The Digital Link URL in the QR code.
    pub url: String,
    /// The line printed under the QR (the code in canonical form).
    pub caption: String,
}

impl Label {
    /// The label of `code` on the resolver at `base`.
    pub fn new(base: &str, code: &TraceCode) -> Self {
        Self {
            url: digital_link_url(base, code),
            caption: code.to_string(),
        }
    }
}

/// Columns of labels on an A4 sheet.
pub const SHEET_COLUMNS: usize = 3;
/// Rows of labels on an A4 sheet.
pub const SHEET_ROWS: usize = 7;

/// Labels on A4 sheets (210 × 297 mm, [`SHEET_COLUMNS`] × [`SHEET_ROWS`] labels of 70 × 42 mm), one SVG document
/// per sheet: each label a QR code with the code printed under it, URL in small type.
pub fn label_sheet_svg(labels: &[Label]) -> Result<Vec<String>, LabelError> {
    let per_sheet = SHEET_COLUMNS * SHEET_ROWS;
    let mut sheets = Vec::new();
    for page in labels.chunks(per_sheet) {
        let mut svg = String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\">\n\
             <rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n",
        );
        for (i, label) in page.iter().enumerate() {
            let x = (i % SHEET_COLUMNS) as u32 * 70;
            let y = 1 + (i / SHEET_COLUMNS) as u32 * 42;
            let code = encode(&label.url)?;
            let modules = code.width();
            let side = modules + 2 * QUIET_ZONE;
            // The QR drawn as one path in its own 30 × 30 mm viewport.
            let mut path = String::new();
            for (k, c) in code.to_colors().iter().enumerate() {
                if *c == Color::Dark {
                    let (mx, my) = (k % modules + QUIET_ZONE, k / modules + QUIET_ZONE);
                    path.push_str(&format!("M{mx} {my}h1v1h-1z"));
                }
            }
            svg.push_str(&format!(
                "<g><rect x=\"{x}\" y=\"{y}\" width=\"70\" height=\"42\" fill=\"none\" stroke=\"#ccc\" stroke-width=\"0.2\"/>\n\
                 <svg x=\"{qx}\" y=\"{qy}\" width=\"30\" height=\"30\" viewBox=\"0 0 {side} {side}\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>\n\
                 <text x=\"{tx}\" y=\"{ty}\" font-family=\"monospace\" font-size=\"3.2\" text-anchor=\"middle\">{caption}</text>\n\
                 <text x=\"{tx}\" y=\"{uy}\" font-family=\"sans-serif\" font-size=\"2\" text-anchor=\"middle\">{url}</text></g>\n",
                qx = x + 20,
                qy = y + 1,
                tx = x + 35,
                ty = y + 35,
                uy = y + 39,
                caption = escape(&label.caption),
                url = escape(&label.url),
            ));
        }
        svg.push_str("</svg>\n");
        sheets.push(svg);
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_png(bytes: &[u8]) -> String {
        let decoder = png::Decoder::new(bytes);
        let mut reader = decoder.read_info().expect("png header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("png frame");
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let (w, h) = (info.width as usize, info.height as usize);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        grids[0].decode().expect("a readable QR code").1
    }

    #[test]
    fn urls_for_every_kind_of_code() {
        let sgtin = TraceCode::parse("/01/06970000000017/21/DP0001").unwrap();
        assert_eq!(
            digital_link_url("https://id.example.com/", &sgtin),
            "https://id.example.com/01/06970000000017/21/DP0001"
        );
        let sscc = TraceCode::parse("106141411234567897").unwrap();
        assert_eq!(
            digital_link_url("http://127.0.0.1:9944", &sscc),
            "http://127.0.0.1:9944/00/106141411234567897"
        );
        let nmpa = TraceCode::parse("86123450000000000011").unwrap();
        assert_eq!(
            digital_link_url("http://n", &nmpa),
            "http://n/code/86123450000000000011"
        );
    }

    #[test]
    fn png_decodes_back_to_the_url() {
        let code = TraceCode::parse("/01/06970000000017/21/DP0001").unwrap();
        let url = digital_link_url("http://127.0.0.1:9944", &code);
        let png = qr_png(&url, 4).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(decode_png(&png), url);
        // Another code gives another symbol.
        let other = digital_link_url(
            "http://127.0.0.1:9944",
            &TraceCode::parse("/01/06970000000017/21/DP0002").unwrap(),
        );
        assert_eq!(decode_png(&qr_png(&other, 3).unwrap()), other);
    }

    #[test]
    fn svg_is_a_qr_symbol() {
        let svg = qr_svg("http://x/00/106141411234567897", 200).unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }

    #[test]
    fn too_long_is_refused_with_the_length() {
        let err = qr_png(&"x".repeat(4000), 1).unwrap_err();
        assert!(err.to_string().contains("4000 bytes"), "{err}");
    }

    #[test]
    fn sheets_hold_21_labels_and_escape_captions() {
        let labels: Vec<Label> = (0..22)
            .map(|i| Label {
                url: format!("http://n/code/{i}"),
                caption: format!("<b>&{i}\"</b>"),
            })
            .collect();
        let sheets = label_sheet_svg(&labels).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].matches("<text").count(), 2 * 21);
        assert_eq!(sheets[1].matches("<text").count(), 2);
        assert!(sheets[0].contains("&lt;b&gt;&amp;0&quot;&lt;/b&gt;"));
        assert!(!sheets[0].contains("<b>"));
    }
}
