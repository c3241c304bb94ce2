//! [`Gs1Key`] (also named [`DigitalLink`]): everything this crate reads from a GS1 Digital Link URI or element
//! string, and the rules that tie its parts together.
//!
//! The application identifiers it has a field for are:
//!
//! | AI  | meaning                       | format            | role                        |
//! |-----|-------------------------------|-------------------|-----------------------------|
//! | 01  | GTIN                          | 14 digits (DL: 8/12/13/14) | primary key        |
//! | 00  | SSCC                          | 18 digits         | primary key                 |
//! | 414 | GLN of a physical location    | 13 digits         | primary key                 |
//! | 22  | consumer product variant      | set 82, 1–20      | qualifier of 01             |
//! | 10  | batch/lot                     | set 82, 1–20      | qualifier of 01             |
//! | 21  | serial                        | set 82, 1–20      | qualifier of 01             |
//! | 17  | expiry date                   | YYMMDD            | attribute of 01             |
//!
//! Every other AI of [`crate::ai::TABLE`] (production date 11, best before 15, net weight 3103, internal data
//! 91–99, …) is kept as text in [`Gs1Key::attributes`], in AI order, once its value has passed its AI's rule, so
//! that nothing read is lost; they are carried along but do not take part in identity. An AI missing from the
//! table is refused with its number ([`CodeError::UnknownAi`]), rather than silently dropped.
//!
//! **Rules** ([`Gs1Key::validate`]): exactly one primary key; 22, 10, 21 and 17 only with a GTIN; a CPV of 1 to 20
//! characters of set 82; an expiry date that exists; attributes in strictly increasing AI order, each an AI of
//! the table without a field of its own, each value valid for its AI.
//!
//! **Expiry (AI 17).** `YYMMDD`, read in the fixed window 2000–2099 (GS1 slides a 100-year window around the
//! current year, but this crate has no clock and must be deterministic; the two agree for years 2000–2049). A day
//! of `00` means the last day of the month and is stored as that day, so `261200` reads as `(2026, 12, 31)`.

use crate::ai::{spec, AiSpec, DlRole};
use crate::cset82::validate_text;
use crate::error::{AiPlace, CodeError, TextField};
use crate::gs1::{Gln, Gtin, Sscc};
use crate::{Giai, LotNumber, SerialNumber, TraceCode};

/// The full parsed content of a GS1 Digital Link URI or element string.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gs1Key {
    /// AI 01, normalised to 14 digits.
    pub gtin: Option<Gtin>,
    /// AI 22, the consumer product variant: 1 to 20 characters of GS1 character set 82.
    pub cpv: Option<String>,
    /// AI 10.
    pub lot: Option<LotNumber>,
    /// AI 21.
    pub serial: Option<SerialNumber>,
    /// AI 00.
    pub sscc: Option<Sscc>,
    /// AI 414.
    pub gln: Option<Gln>,
    /// AI 8004: a piece of equipment ([`Giai`]).
    pub giai: Option<Giai>,
    /// AI 17 as (year, month, day); a `00` day is stored as the month's last day.
    pub expiry: Option<(u16, u8, u8)>,
    /// Every other AI read, as (AI, value), in increasing AI order; see [`Gs1Key::insert`].
    pub attributes: Vec<(String, String)>,
}

/// Another name for [`Gs1Key`]: what a Digital Link URI carries.
pub type DigitalLink = Gs1Key;

/// The application identifiers this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ai {
    Sscc,
    Gtin,
    Lot,
    Expiry,
    Serial,
    Cpv,
    Gln,
    Giai,
}

impl Ai {
    pub(crate) fn from_code(code: &str) -> Option<Ai> {
        Some(match code {
            "00" => Ai::Sscc,
            "01" => Ai::Gtin,
            "10" => Ai::Lot,
            "17" => Ai::Expiry,
            "21" => Ai::Serial,
            "22" => Ai::Cpv,
            "414" => Ai::Gln,
            "8004" => Ai::Giai,
            _ => return None,
        })
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Ai::Sscc => "00",
            Ai::Gtin => "01",
            Ai::Lot => "10",
            Ai::Expiry => "17",
            Ai::Serial => "21",
            Ai::Cpv => "22",
            Ai::Gln => "414",
            Ai::Giai => "8004",
        }
    }

    /// The fixed length of the AI's value in an element string, if it has one.
    pub(crate) fn fixed_len(self) -> Option<usize> {
        match self {
            Ai::Sscc => Some(18),
            Ai::Gtin => Some(14),
            Ai::Expiry => Some(6),
            Ai::Gln => Some(13),
            Ai::Lot | Ai::Serial | Ai::Cpv | Ai::Giai => None,
        }
    }

    pub(crate) fn is_primary_key(self) -> bool {
        matches!(self, Ai::Sscc | Ai::Gtin | Ai::Gln | Ai::Giai)
    }
}

/// Days in `month` of `year` (Gregorian).
fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Checks a (year, month, day) expiry date.
pub(crate) fn validate_date((year, month, day): (u16, u8, u8)) -> Result<(), CodeError> {
    if !(2000..=2099).contains(&year) {
        return Err(CodeError::ExpiryYear { year });
    }
    if !(1..=12).contains(&month) {
        return Err(CodeError::ExpiryMonth { month });
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(CodeError::ExpiryDay { year, month, day });
    }
    Ok(())
}

/// Reads AI 17's `YYMMDD` (see the module docs for the year window and day `00`).
pub(crate) fn parse_yymmdd(s: &str) -> Result<(u16, u8, u8), CodeError> {
    crate::digits::require_digits(s, crate::error::CodeKind::Expiry)?;
    if s.len() != 6 {
        return Err(CodeError::AiValueLength {
            ai: "17".into(),
            expected: 6,
            got: s.len(),
        });
    }
    let b = s.as_bytes();
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    let year = 2000 + u16::from(two(0));
    let month = two(2);
    let mut day = two(4);
    if (1..=12).contains(&month) && day == 0 {
        day = days_in_month(year, month);
    }
    validate_date((year, month, day))?;
    Ok((year, month, day))
}

/// Writes an expiry date as `YYMMDD`.
pub(crate) fn format_yymmdd((year, month, day): (u16, u8, u8)) -> String {
    format!("{:02}{month:02}{day:02}", year % 100)
}

impl Gs1Key {
    /// Parses a GS1 Digital Link URI (any host, or a bare path); see [`crate::digital_link`].
    pub fn parse_digital_link(s: &str) -> Result<Gs1Key, CodeError> {
        crate::digital_link::parse_digital_link(s)
    }

    /// Parses a GS1 element string, bracketed or FNC1-separated; see [`crate::element_string`].
    pub fn parse_element_string(s: &str) -> Result<Gs1Key, CodeError> {
        crate::element_string::parse_element_string(s)
    }

    /// The traceable instance this key names: a GTIN with a serial → [`TraceCode::Sgtin`] (the CPV, lot, expiry
    /// and [`attributes`](Gs1Key::attributes) are not identity, and are dropped); an SSCC → [`TraceCode::Sscc`].
    /// A GTIN without a serial names a product, a GLN a location and a GIAI a piece of equipment: all are
    /// refused.
    pub fn to_trace_code(&self) -> Result<TraceCode, CodeError> {
        self.validate()?;
        if let Some(sscc) = self.sscc {
            return Ok(TraceCode::Sscc(sscc));
        }
        if let Some(gln) = self.gln {
            return Err(CodeError::GlnNotTraceable { gln });
        }
        if let Some(giai) = self.giai {
            return Err(CodeError::GiaiNotTraceable { giai });
        }
        match (self.gtin, self.serial) {
            (Some(gtin), Some(serial)) => Ok(TraceCode::Sgtin { gtin, serial }),
            (Some(gtin), None) => Err(CodeError::GtinWithoutSerial { gtin }),
            (None, _) => Err(CodeError::NoGs1Key),
        }
    }

    /// Checks the rules that tie the parts together (see the module docs). The parsers only return keys that
    /// pass; the fields are public, so a hand-built key may not.
    pub fn validate(&self) -> Result<(), CodeError> {
        if self.gtin.is_none() {
            let dependents = [
                (Ai::Cpv, self.cpv.is_some()),
                (Ai::Lot, self.lot.is_some()),
                (Ai::Serial, self.serial.is_some()),
                (Ai::Expiry, self.expiry.is_some()),
            ];
            if let Some((ai, _)) = dependents.iter().find(|(_, p)| *p) {
                return Err(CodeError::NeedsGtin {
                    ai: ai.code().into(),
                });
            }
        }
        let present = [
            (Ai::Gtin, self.gtin.is_some()),
            (Ai::Sscc, self.sscc.is_some()),
            (Ai::Gln, self.gln.is_some()),
            (Ai::Giai, self.giai.is_some()),
        ];
        let mut keys = present.iter().filter(|(_, p)| *p).map(|(ai, _)| ai.code());
        let Some(first) = keys.next() else {
            return Err(CodeError::NoGs1Key);
        };
        if let Some(second) = keys.next() {
            return Err(CodeError::MultiplePrimaryKeys {
                first: first.into(),
                second: second.into(),
            });
        }
        if let Some(cpv) = &self.cpv {
            validate_text(cpv, TextField::Cpv)?;
        }
        if let Some(date) = self.expiry {
            validate_date(date)?;
        }
        self.validate_attributes()
    }

    fn validate_attributes(&self) -> Result<(), CodeError> {
        for (k, (ai, value)) in self.attributes.iter().enumerate() {
            let spec = spec(ai).ok_or_else(|| CodeError::UnknownAi {
                ai: ai.clone(),
                place: AiPlace::Attributes,
            })?;
            if Ai::from_code(ai).is_some() {
                return Err(CodeError::NotAnAttribute { ai: ai.clone() });
            }
            if let Some((before, _)) = k.checked_sub(1).map(|j| &self.attributes[j]) {
                if before == ai {
                    return Err(CodeError::DuplicateAi { ai: ai.clone() });
                }
                if before > ai {
                    return Err(CodeError::AttributeOrder {
                        ai: ai.clone(),
                        after: before.clone(),
                    });
                }
            }
            spec.validate(ai, value)?;
        }
        Ok(())
    }

    /// The value of attribute `ai`, if present.
    pub fn attribute(&self, ai: &str) -> Option<&str> {
        let k = self.find_attribute(ai).ok()?;
        Some(&self.attributes[k].1)
    }

    fn find_attribute(&self, ai: &str) -> Result<usize, usize> {
        self.attributes
            .binary_search_by(|(a, _)| a.as_str().cmp(ai))
    }

    /// Stores `value` under any AI of [`crate::ai::TABLE`]: in its field for 00, 01, 10, 17, 21, 22, 414 and 8004, in
    /// [`Gs1Key::attributes`] (at its place in AI order) for the others. Refuses an unknown AI, a second value for
    /// the same AI and a value that breaks its AI's rule; the rules between AIs are left to
    /// [`Gs1Key::validate`].
    pub fn insert(&mut self, ai: &str, value: &str) -> Result<(), CodeError> {
        let spec = spec(ai).ok_or_else(|| CodeError::UnknownAi {
            ai: ai.into(),
            place: AiPlace::Attributes,
        })?;
        match Ai::from_code(ai) {
            Some(typed) => self.set(typed, value),
            None => self.insert_attribute(ai, spec, value),
        }
    }

    /// Stores an attribute (an AI without a field) whose `spec` the caller has looked up.
    pub(crate) fn insert_attribute(
        &mut self,
        ai: &str,
        spec: &AiSpec,
        value: &str,
    ) -> Result<(), CodeError> {
        if value.is_empty() {
            return Err(CodeError::MissingValue { ai: ai.into() });
        }
        let Err(at) = self.find_attribute(ai) else {
            return Err(CodeError::DuplicateAi { ai: ai.into() });
        };
        spec.validate(ai, value)?;
        self.attributes.insert(at, (ai.into(), value.into()));
        Ok(())
    }

    /// The GS1 Digital Link URI for this key under `base` (e.g. `https://id.example.com`; a trailing `/` is
    /// dropped; an empty base gives the bare path), with the expiry and the attributes in the query string, in AI
    /// order. An attribute that is a key or key qualifier (such as 401 or 253 beside an SSCC) fits neither the
    /// path nor the query: [`CodeError::NotInDigitalLink`].
    pub fn digital_link(&self, base: &str) -> Result<String, CodeError> {
        self.validate()?;
        let not_attribute = self
            .attributes
            .iter()
            .find(|(ai, _)| spec(ai).is_some_and(|s| s.dl != DlRole::Attribute));
        if let Some((ai, _)) = not_attribute {
            return Err(CodeError::NotInDigitalLink { ai: ai.clone() });
        }
        Ok(crate::digital_link::format_digital_link(self, base))
    }

    /// The bracketed element string, e.g. `(01)09521234543213(17)261231(10)LOT1(21)SER1` (the order GS1
    /// recommends: primary key, predefined-length AIs, then the others; see [`crate::element_string`]).
    pub fn element_string(&self) -> Result<String, CodeError> {
        self.validate()?;
        Ok(crate::element_string::format_bracketed(self))
    }

    /// The element string as a scanner transmits it, without symbology identifier: AIs without brackets and an
    /// ASCII 29 (GS) after each variable-length value that is not last.
    pub fn element_string_raw(&self) -> Result<String, CodeError> {
        self.validate()?;
        Ok(crate::element_string::format_raw(self))
    }

    /// Stores `value` under `ai`, validating it; refuses a second value for the same AI.
    pub(crate) fn set(&mut self, ai: Ai, value: &str) -> Result<(), CodeError> {
        let taken = match ai {
            Ai::Gtin => self.gtin.is_some(),
            Ai::Sscc => self.sscc.is_some(),
            Ai::Gln => self.gln.is_some(),
            Ai::Giai => self.giai.is_some(),
            Ai::Cpv => self.cpv.is_some(),
            Ai::Lot => self.lot.is_some(),
            Ai::Serial => self.serial.is_some(),
            Ai::Expiry => self.expiry.is_some(),
        };
        if taken {
            return Err(CodeError::DuplicateAi {
                ai: ai.code().into(),
            });
        }
        if value.is_empty() {
            return Err(CodeError::MissingValue {
                ai: ai.code().into(),
            });
        }
        match ai {
            Ai::Gtin => self.gtin = Some(Gtin::parse(value)?),
            Ai::Sscc => self.sscc = Some(Sscc::parse(value)?),
            Ai::Gln => self.gln = Some(Gln::parse(value)?),
            Ai::Giai => self.giai = Some(Giai::parse(value)?),
            Ai::Cpv => {
                validate_text(value, TextField::Cpv)?;
                self.cpv = Some(value.to_owned());
            }
            Ai::Lot => self.lot = Some(LotNumber::parse(value)?),
            Ai::Serial => self.serial = Some(SerialNumber::parse(value)?),
            Ai::Expiry => self.expiry = Some(parse_yymmdd(value)?),
        }
        Ok(())
    }
}
