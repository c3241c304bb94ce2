//! `yima label CODE…`: printable label sheets. Each code (any scanned form) becomes a label — its GS1 Digital
//! Link URL on the resolver (by default the node at `--url`, whose RPC port serves the scan pages) as a QR code
//! with the code printed under it — on A4 SVG sheets of 21 labels (`yima-labels`, the same drawing as the
//! node's `/qr/…`). `--png-dir` also writes each QR code as a PNG. No node is contacted.

use std::path::{Path, PathBuf};

use clap::Args;
use yima_codes::TraceCode;
use yima_labels::{label_sheet_svg, qr_png, Label};

use crate::common::{Failure, Global};

/// `yima label`.
#[derive(Args, Debug)]
pub(crate) struct LabelArgs {
    /// The codes, in any scanned form (Digital Link, element string, SSCC, NMPA, cold-chain code).
    #[arg(required = true)]
    codes: Vec<String>,
    /// The resolver's base URL put in the QR codes [default: --url, the node serving the scan pages].
    #[arg(long)]
    base: Option<String>,
    /// The sheet file; with more than 21 codes, `NAME-2.svg`, `NAME-3.svg`… follow it.
    #[arg(long, short, default_value = "labels.svg")]
    output: PathBuf,
    /// Also write each code's QR code as a PNG into this directory.
    #[arg(long)]
    png_dir: Option<PathBuf>,
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::from(format!("cannot write {}: {e}", path.display())))
}

/// The file of sheet `n` (0-based): `output` itself, then `{stem}-{n+1}.{ext}`.
fn sheet_path(output: &Path, n: usize) -> PathBuf {
    if n == 0 {
        return output.to_path_buf();
    }
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("labels");
    let ext = output.extension().and_then(|s| s.to_str()).unwrap_or("svg");
    output.with_file_name(format!("{stem}-{}.{ext}", n + 1))
}

/// A PNG file name for `code`: its canonical form with every non-alphanumeric character as `_`.
fn png_name(code: &TraceCode) -> String {
    let name: String = code
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}.png", name.trim_start_matches('_'))
}

/// Writes the sheets (and PNGs); returns the files written.
pub(crate) fn run(g: &Global, a: LabelArgs) -> Result<(), Failure> {
    let files = write_labels(&a, a.base.as_deref().unwrap_or(&g.url))?;
    if g.json {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        println!(
            "{}",
            serde_json::json!({ "labels": a.codes.len(), "files": files })
        );
    } else {
        for f in &files {
            println!("{}", f.display());
        }
    }
    Ok(())
}

fn write_labels(a: &LabelArgs, base: &str) -> Result<Vec<PathBuf>, Failure> {
    let codes = a
        .codes
        .iter()
        .map(|text| {
            TraceCode::parse(text).map_err(|e| Failure {
                code: 2,
                message: format!("{text:?} is not a trace code: {e}"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let labels: Vec<Label> = codes.iter().map(|c| Label::new(base, c)).collect();
    let sheets = label_sheet_svg(&labels).map_err(|e| Failure::from(e.to_string()))?;
    let mut files = Vec::new();
    for (n, sheet) in sheets.iter().enumerate() {
        let path = sheet_path(&a.output, n);
        write(&path, sheet.as_bytes())?;
        files.push(path);
    }
    if let Some(dir) = &a.png_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::from(format!("cannot create {}: {e}", dir.display())))?;
        for (code, label) in codes.iter().zip(&labels) {
            let png = qr_png(&label.url, 8).map_err(|e| Failure::from(e.to_string()))?;
            let path = dir.join(png_name(code));
            write(&path, &png)?;
            files.push(path);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(codes: &[&str], dir: &Path, png: bool) -> LabelArgs {
        LabelArgs {
            codes: codes.iter().map(|c| c.to_string()).collect(),
            base: None,
            output: dir.join("sheet.svg"),
            png_dir: png.then(|| dir.join("png")),
        }
    }

    #[test]
    fn sheets_and_pngs_for_every_code() {
        let dir = tempfile::tempdir().unwrap();
        let codes: Vec<String> = (1..=22)
            .map(|n| format!("/01/06970000000017/21/DP{n:04}"))
            .collect();
        let mut refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        refs.push("106141411234567897");
        let files = write_labels(&args(&refs, dir.path(), true), "http://node:9944").unwrap();
        assert_eq!(files[0], dir.path().join("sheet.svg"));
        assert_eq!(files[1], dir.path().join("sheet-2.svg"));
        assert_eq!(files.len(), 2 + 23);
        let first = std::fs::read_to_string(&files[0]).unwrap();
        assert!(first.contains("http://node:9944/01/06970000000017/21/DP0001"));
        let png = std::fs::read(dir.path().join("png/00_106141411234567897.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    #[test]
    fn a_bad_code_names_the_failed_check_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_labels(
            &args(&["/01/06970000000013/21/X"], dir.path(), false),
            "http://n",
        )
        .expect_err("refused");
        assert_eq!(err.code, 2);
        assert!(err.message.contains("check digit"), "{}", err.message);
        assert!(!dir.path().join("sheet.svg").exists());
    }
}
