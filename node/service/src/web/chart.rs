//! The temperature chart over a journey, drawn server-side as inline SVG (no script, no library): one bar per
//! sensor report from its minimum to its maximum with a dot at its mean, the means joined in time order, the
//! product's allowed band as a green strip, and every report outside the band in red with a ▲ above it.
//! Readings in °F or K are converted to °C. Text is built with `maud`, so everything is escaped.

use maud::{html, Markup, PreEscaped};
use yima_trace::epcis::{SensorKind, SensorReport, Unit};
use yima_trace::types::TemperatureRange;

use super::i18n::{local_date, Lang};

/// One temperature report on the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// When, ms UTC.
    pub time: u64,
    /// The zone offset of the event, minutes.
    pub offset: i16,
    /// Lowest, highest and mean, °C.
    pub min: f64,
    /// Highest, °C.
    pub max: f64,
    /// Mean, °C.
    pub mean: f64,
}

impl Reading {
    /// A temperature report in °C, or `None` for other sensors.
    pub fn from_report(time: u64, offset: i16, r: &SensorReport) -> Option<Reading> {
        if r.kind != SensorKind::Temperature {
            return None;
        }
        let c = |v: i32| {
            let v = f64::from(v) / 100.0;
            match r.unit {
                Unit::Celsius => Some(v),
                Unit::Fahrenheit => Some((v - 32.0) * 5.0 / 9.0),
                Unit::Kelvin => Some(v - 273.15),
                Unit::Percent => None,
            }
        };
        Some(Reading {
            time,
            offset,
            min: c(r.min)?,
            max: c(r.max)?,
            mean: c(r.mean)?,
        })
    }

    /// Whether it left `band`.
    pub fn is_excursion(&self, band: Option<(f64, f64)>) -> bool {
        band.is_some_and(|(lo, hi)| self.min < lo || self.max > hi)
    }
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 28.0;

fn band_c(band: Option<TemperatureRange>) -> Option<(f64, f64)> {
    band.map(|b| {
        (
            f64::from(b.min_centi_celsius) / 100.0,
            f64::from(b.max_centi_celsius) / 100.0,
        )
    })
}

/// The chart of `readings` (any order) against `band`; a short note when there are none.
pub fn chart(readings: &[Reading], band: Option<TemperatureRange>, lang: Lang) -> Markup {
    let t = lang.t();
    if readings.is_empty() {
        return html! { p.muted { (t.no_readings) } };
    }
    let mut readings = readings.to_vec();
    readings.sort_by_key(|r| r.time);
    let band = band_c(band);
    let (mut lo, mut hi) = readings.iter().fold((f64::MAX, f64::MIN), |(lo, hi), r| {
        (lo.min(r.min), hi.max(r.max))
    });
    if let Some((b_lo, b_hi)) = band {
        lo = lo.min(b_lo);
        hi = hi.max(b_hi);
    }
    let pad = ((hi - lo) * 0.1).max(1.0);
    let (lo, hi) = (lo - pad, hi + pad);
    let (t0, t1) = (readings[0].time, readings[readings.len() - 1].time);
    let span = (t1 - t0).max(1) as f64;
    // Readings stay 12 px inside the plot's sides, clear of the axis.
    let x = |time: u64| {
        if t1 == t0 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + 12.0 + (time - t0) as f64 / span * (W - LEFT - RIGHT - 24.0)
        }
    };
    let y = |c: f64| TOP + (hi - c) / (hi - lo) * (H - TOP - BOTTOM);
    let mut line = String::new();
    for r in &readings {
        line.push_str(&format!("{:.1},{:.1} ", x(r.time), y(r.mean)));
    }
    let mut ticks: Vec<f64> = vec![lo + pad, hi - pad];
    if let Some((a, b)) = band {
        ticks.extend([a, b]);
    }
    ticks.sort_by(f64::total_cmp);
    ticks.dedup_by(|a, b| (*a - *b).abs() < (hi - lo) / 20.0);
    let excursions = readings.iter().filter(|r| r.is_excursion(band)).count();
    let title = format!(
        "{}: {} × {}{}",
        t.temperature,
        readings.len(),
        if lang == Lang::Zh {
            "次读数"
        } else {
            "readings"
        },
        if excursions > 0 {
            format!(", {excursions} {}", t.excursion)
        } else {
            String::new()
        }
    );
    html! {
        svg.chart role="img" aria-label=(title) viewBox={"0 0 " (W) " " (H)} xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            rect x=(LEFT) y=(TOP) width=(W - LEFT - RIGHT) height=(H - TOP - BOTTOM) fill="#fafafa" stroke="#ddd" {}
            @if let Some((a, b)) = band {
                rect.band x=(LEFT) y=(format!("{:.1}", y(b))) width=(W - LEFT - RIGHT)
                    height=(format!("{:.1}", y(a) - y(b))) fill="#c8efd0" {}
            }
            @for v in &ticks {
                line x1=(LEFT - 4.0) x2=(LEFT) y1=(format!("{:.1}", y(*v))) y2=(format!("{:.1}", y(*v))) stroke="#888" {}
                text x=(LEFT - 6.0) y=(format!("{:.1}", y(*v) + 4.0)) text-anchor="end" font-size="11" { (format!("{v:.1}°C")) }
            }
            text x=(LEFT) y=(H - 8.0) font-size="11" { (local_date(t0, readings[0].offset)) }
            text x=(W - RIGHT) y=(H - 8.0) font-size="11" text-anchor="end" {
                (local_date(t1, readings[readings.len() - 1].offset))
            }
            polyline.mean points=(line) fill="none" stroke="#2a6fdb" stroke-width="1.5" {}
            @for r in &readings {
                @let bad = r.is_excursion(band);
                @let colour = if bad { "#d21f1f" } else { "#2a6fdb" };
                line class=(if bad { "reading excursion" } else { "reading" })
                    x1=(format!("{:.1}", x(r.time))) x2=(format!("{:.1}", x(r.time)))
                    y1=(format!("{:.1}", y(r.max))) y2=(format!("{:.1}", y(r.min)))
                    stroke=(colour) stroke-width="4" stroke-linecap="round" {}
                circle cx=(format!("{:.1}", x(r.time))) cy=(format!("{:.1}", y(r.mean))) r="3" fill=(colour) {}
                @if bad {
                    text.excursion-mark x=(format!("{:.1}", x(r.time))) y=(format!("{:.1}", y(r.max) - 6.0))
                        text-anchor="middle" font-size="12" fill="#d21f1f" { (PreEscaped("&#9650;")) }
                }
            }
        }
        p.legend {
            span.key.band-key {} (t.allowed_band) " "
            span.key.excursion-key {} (t.excursion)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(time: u64, min: f64, max: f64) -> Reading {
        Reading {
            time,
            offset: 480,
            min,
            max,
            mean: (min + max) / 2.0,
        }
    }

    #[test]
    fn excursions_are_marked_and_the_band_drawn() {
        let band = TemperatureRange {
            min_centi_celsius: -2500,
            max_centi_celsius: -1800,
        };
        let svg = chart(
            &[
                r(2_000, -20.0, -19.0),
                r(1_000, -22.0, -8.0),
                r(3_000, -21.0, -19.5),
            ],
            Some(band),
            Lang::En,
        )
        .into_string();
        assert_eq!(svg.matches("class=\"reading excursion\"").count(), 1);
        assert_eq!(svg.matches("class=\"reading\"").count(), 2);
        assert!(svg.contains("class=\"band\""));
        assert!(svg.contains("-25.0°C") && svg.contains("-18.0°C"));
        assert!(svg.contains("3 × readings, 1 excursion"), "{svg}");
    }

    #[test]
    fn no_readings_no_chart() {
        assert!(!chart(&[], None, Lang::Zh).into_string().contains("<svg"));
    }

    #[test]
    fn fahrenheit_is_converted() {
        let report = SensorReport {
            kind: SensorKind::Temperature,
            unit: Unit::Fahrenheit,
            min: 3200,
            max: 5000,
            mean: 4100,
            device: None,
        };
        let r = Reading::from_report(0, 0, &report).unwrap();
        assert!((r.min - 0.0).abs() < 1e-9 && (r.max - 10.0).abs() < 1e-9);
    }
}
