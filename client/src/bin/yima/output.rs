//! Output: one JSON document with `--json`, tables (comfy-table) and progress bars (indicatif) otherwise.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::common::Failure;

/// Prints `value` as pretty JSON on stdout.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("cannot write JSON: {e}"))?;
    println!("{text}");
    Ok(())
}

/// A table with `headers`.
pub(crate) fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_header(headers.to_vec());
    t
}

/// A progress bar of `len` items on stderr (hidden when `quiet` or stderr is not a terminal).
pub(crate) fn progress(len: u64, what: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// An organisation id for people.
pub(crate) fn org(id: u32) -> String {
    format!("org {id}")
}

/// Milliseconds since the epoch as RFC 3339 UTC.
pub(crate) fn time(ms: u64) -> String {
    yima_epcis::datetime::format_utc_ms(ms as i64)
}
