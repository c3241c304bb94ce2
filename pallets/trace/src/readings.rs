//! Sensor readings on captured events: checking a report is physically possible, converting it to hundredths of
//! a degree Celsius, and judging it against the bands of the codes it covers — a reading outside a code's band is
//! the holder's excursion (the code is flagged, [`Alert::TemperatureExcursion`]) only when the code's custodian or
//! an official inspector (an inspection body, regulator or customs) measured it; anyone else's is an
//! [`Alert::ReadingOutOfBand`] that flags nothing.

use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;

use crate::capture::Ctx;
use crate::custody;
use crate::epcis::{EpcisEvent, EventBody, SensorKind, SensorReport, Unit, MAX_ID_BYTES};
use crate::types::{TemperatureRange, FLAG_EXCURSION};
use crate::{Alert, Codes, Config, Error, Event, Pallet};

/// Hundredths of a degree Celsius above which no sensor of ours reads (1000 °C).
const MAX_CENTI: i32 = 100_000;

impl<T: Config> Pallet<T> {
    /// A temperature report outside the band of a subject code, measured by the code's custodian (after the
    /// event: the receiver of a receipt) or by an official inspector (an inspection body, regulator or customs),
    /// flags the code and raises [`Alert::TemperatureExcursion`]; measured by anyone else (a party to a
    /// transaction event) it flags nothing and raises [`Alert::ReadingOutOfBand`] for a regulator to look at.
    /// Each code is judged by its own band (a container's is already the intersection of its contents'): goods
    /// that only share a read point with goods of another band are not in excursion. One alert per band that was
    /// left and per kind. Finished codes are not touched.
    pub(crate) fn check_temperature(ctx: &Ctx<'_>, index: u32, event: &EpcisEvent) {
        let readings: Vec<(i32, i32)> = event
            .sensors
            .iter()
            .filter(|r| r.kind == SensorKind::Temperature)
            .map(|r| centi_celsius_range(r.unit, r.min, r.max))
            .collect();
        let (Some(observed_min), Some(observed_max)) = (
            readings.iter().map(|r| r.0).min(),
            readings.iter().map(|r| r.1).max(),
        ) else {
            return;
        };
        let subjects: Vec<TraceCode> = match &event.body {
            EventBody::Object { epcs, .. } | EventBody::Transaction { epcs, .. } => epcs.clone(),
            EventBody::Aggregation { parent, .. } => vec![*parent],
            EventBody::Transformation { outputs, .. } => outputs.clone(),
        };
        // Read only when a reading is out of band (rare): an in-band report costs no membership read.
        let mut official: Option<bool> = None;
        let mut excursions: Vec<(TemperatureRange, Vec<TraceCode>)> = Vec::new();
        let mut out_of_band: Vec<(TemperatureRange, Vec<TraceCode>)> = Vec::new();
        for code in subjects {
            let Some(mut state) = Codes::get(&code) else {
                continue;
            };
            if state.status.is_finished() {
                continue;
            }
            let Some(band) = custody::band(&state) else {
                continue;
            };
            if band.contains(observed_min, observed_max) {
                continue;
            }
            let holder = custody::custody(&code, ctx.now).is_ok_and(|c| c.custodian == ctx.org)
                || *official.get_or_insert_with(|| Self::is_official(ctx.org));
            let list = if holder {
                state.flags |= FLAG_EXCURSION;
                Codes::insert(&code, &state);
                &mut excursions
            } else {
                &mut out_of_band
            };
            match list.iter_mut().find(|(b, _)| *b == band) {
                Some((_, codes)) => codes.push(code),
                None => list.push((band, vec![code])),
            }
        }
        for (band, codes) in excursions {
            Self::deposit_event(Event::Alert(Alert::TemperatureExcursion {
                event: index,
                codes,
                band,
                observed_min,
                observed_max,
                measured_by: ctx.org,
            }));
        }
        for (band, codes) in out_of_band {
            Self::deposit_event(Event::Alert(Alert::ReadingOutOfBand {
                event: index,
                measured_by: ctx.org,
                codes,
                band,
                observed_min,
                observed_max,
            }));
        }
    }
}

/// A value in hundredths of `unit` as hundredths of a degree Celsius (temperatures only; Fahrenheit rounds
/// toward zero).
pub fn to_centi_celsius(unit: Unit, value: i32) -> i32 {
    match unit {
        Unit::Celsius | Unit::Percent => value,
        Unit::Kelvin => value.saturating_add(crate::types::ABSOLUTE_ZERO_CENTI),
        Unit::Fahrenheit => ((i64::from(value) - 3_200) * 5 / 9) as i32,
    }
}

/// A reading `min..=max` in hundredths of `unit` as hundredths of a degree Celsius, rounded outwards: the result
/// contains the exact range, so rounding never hides a reading below absolute zero or outside a band.
fn centi_celsius_range(unit: Unit, min: i32, max: i32) -> (i32, i32) {
    match unit {
        Unit::Fahrenheit => {
            // Exact: 5·(°F − 32) / 9, in hundredths; |value| · 5 / 9 stays within i32.
            let scaled = |v: i32| (i64::from(v) - 3_200) * 5;
            let floor = scaled(min).div_euclid(9);
            let ceil = -(-scaled(max)).div_euclid(9);
            (floor as i32, ceil as i32)
        }
        _ => (to_centi_celsius(unit, min), to_centi_celsius(unit, max)),
    }
}

pub(crate) fn check_sensor(report: &SensorReport) -> Result<(), Error> {
    match (report.kind, report.unit) {
        (SensorKind::Temperature, Unit::Percent)
        | (SensorKind::Humidity, Unit::Celsius | Unit::Fahrenheit | Unit::Kelvin) => {
            return Err(Error::SensorUnitMismatch)
        }
        _ => {}
    }
    if !(report.min <= report.mean && report.mean <= report.max) {
        return Err(Error::ImpossibleSensorReading);
    }
    let (lo, hi) = match report.kind {
        SensorKind::Temperature => centi_celsius_range(report.unit, report.min, report.max),
        SensorKind::Humidity => (report.min, report.max),
    };
    let (floor, ceiling) = match report.kind {
        SensorKind::Temperature => (crate::types::ABSOLUTE_ZERO_CENTI, MAX_CENTI),
        SensorKind::Humidity => (0, 10_000),
    };
    if lo < floor || hi > ceiling {
        return Err(Error::ImpossibleSensorReading);
    }
    if report
        .device
        .as_ref()
        .is_some_and(|d| d.is_empty() || d.len() > MAX_ID_BYTES)
    {
        return Err(Error::IdTooLong);
    }
    Ok(())
}
