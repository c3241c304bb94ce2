//! `xsd:dateTime` and `xsd:date` values, read with the `time` crate's RFC 3339 parser and kept in the chain's
//! unit, milliseconds since the Unix epoch, UTC.
//!
//! EPCIS times carry a zone offset (`2026-03-01T10:00:00.000+08:00` or `…Z`); a time without one is refused, since
//! its instant is unknown. Fractions finer than a millisecond are rounded half up, as the CBV 2.0 event hash does
//! (`.1415` → `.142`).

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Milliseconds in a day.
pub const DAY_MS: u64 = 86_400_000;

/// Parses an `xsd:dateTime` with offset into milliseconds since the epoch (UTC), rounded half up; `Err` says what
/// is wrong. Instants before 1970 are refused (the chain's time is unsigned).
pub fn parse_date_time(s: &str) -> Result<u64, String> {
    let ms = parse_date_time_signed(s)?;
    u64::try_from(ms).map_err(|_| "times before 1970 cannot be recorded".to_owned())
}

/// As [`parse_date_time`], allowing instants before 1970.
pub fn parse_date_time_signed(s: &str) -> Result<i64, String> {
    let t = OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|e| {
        format!(
            "expected an xsd:dateTime with zone offset such as 2026-03-01T10:00:00.000+08:00 ({e})"
        )
    })?;
    let nanos = t.unix_timestamp_nanos();
    Ok(i64::try_from((nanos + 500_000).div_euclid(1_000_000)).unwrap_or(i64::MAX))
}

/// Parses an `xsd:date` (`2026-12-31`, read as midnight UTC) or an `xsd:dateTime` with offset.
pub fn parse_date(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if s.len() == 10 {
        let bad = || format!("`{s}` is not a date such as 2026-12-31");
        let num = |r: std::ops::Range<usize>| {
            s.get(r).and_then(|p| p.parse::<u16>().ok()).ok_or_else(bad)
        };
        if s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
            return Err(bad());
        }
        let month = Month::try_from(num(5..7)? as u8).map_err(|_| bad())?;
        let date = Date::from_calendar_date(i32::from(num(0..4)?), month, num(8..10)? as u8)
            .map_err(|e| format!("`{s}` is not a date that exists ({e})"))?;
        let secs = date.midnight().assume_utc().unix_timestamp();
        return u64::try_from(secs)
            .map(|secs| secs * 1000)
            .map_err(|_| "dates before 1970 cannot be recorded".to_owned());
    }
    parse_date_time(s)
}

/// Parses an EPCIS `eventTimeZoneOffset` (`+08:00`, `-05:30`, `Z` is not allowed by EPCIS but read as `+00:00`) into
/// minutes east of UTC, −12:00 … +14:00.
pub fn parse_offset(s: &str) -> Result<i16, String> {
    let s = s.trim();
    if s == "Z" {
        return Ok(0);
    }
    let bad = || format!("`{s}` is not a zone offset such as +08:00 (−12:00 … +14:00)");
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i16 = h.parse().map_err(|_| bad())?;
    let m: i16 = m.parse().map_err(|_| bad())?;
    let minutes = sign * (h * 60 + m);
    if m >= 60 || !(-720..=840).contains(&minutes) {
        return Err(bad());
    }
    Ok(minutes)
}

/// `+08:00` for 480.
pub fn format_offset(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// `2026-03-01T02:00:00.000Z`: UTC with milliseconds, the form the event hash uses.
pub fn format_utc_ms(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A chain date for `ilmd`: `2026-12-31` when it is midnight UTC, else the full time.
pub fn format_date(ms: u64) -> String {
    let full = format_utc_ms(i64::try_from(ms).unwrap_or(i64::MAX));
    if ms % DAY_MS == 0 {
        full[..10].to_owned()
    } else {
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_to_the_millisecond_in_utc() {
        let ms = parse_date_time("2023-02-02T11:04:03.1415Z").unwrap();
        assert_eq!(format_utc_ms(ms as i64), "2023-02-02T11:04:03.142Z");
        let ms = parse_date_time("2023-02-02T11:04:03.1414Z").unwrap();
        assert_eq!(format_utc_ms(ms as i64), "2023-02-02T11:04:03.141Z");
        let ms = parse_date_time("2022-02-16T20:33:31.116000-06:00").unwrap();
        assert_eq!(format_utc_ms(ms as i64), "2022-02-17T02:33:31.116Z");
        let ms = parse_date_time("2022-12-31T23:59:59.9996Z").unwrap();
        assert_eq!(format_utc_ms(ms as i64), "2023-01-01T00:00:00.000Z");
    }

    #[test]
    fn refuses_times_without_offset_and_bad_dates() {
        assert!(parse_date_time("2023-02-02T11:04:03").is_err());
        assert!(parse_date_time("2023-02-30T11:04:03Z").is_err());
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(parse_date("1970-01-02"), Ok(DAY_MS));
        assert_eq!(format_date(DAY_MS), "1970-01-02");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+08:00"), Ok(480));
        assert_eq!(parse_offset("-05:30"), Ok(-330));
        assert!(parse_offset("+15:00").is_err());
        assert!(parse_offset("0800").is_err());
        assert_eq!(format_offset(-330), "-05:30");
    }
}
