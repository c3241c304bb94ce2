//! Codes of special equipment (特种设备: elevators, boilers, pressure vessels, cranes …, 一网一码): the
//! registration number the regulator issues ([`RegistrationNumber`]), the kind it names ([`EquipmentKind`]), and
//! what a scanner may yield for a unit ([`EquipmentCode`]: that number, or the owner's GS1 GIAI).
//!
//! **Registration number** (使用登记证编号, the number on the certificate of use registration, TSG 08-2017
//! 《特种设备使用管理规则》): e.g. `梯11浙A00123(19)`, read as
//!
//! | part | here | rule |
//! |------|------|------|
//! | equipment category (设备类别代号) | `梯` | one of 锅 容 瓶 管 梯 起 索 游 车 ([`EquipmentKind`]) |
//! | variety (设备品种代号) | `11` | two characters, digits or capital letters |
//! | province (省份简称) | `浙` | one of the 31 mainland abbreviations |
//! | registering city (市代号) | `A` | one capital letter, as on number plates |
//! | sequence (登记顺序号) | `00123` | 4 to 6 digits |
//! | year of registration | `(19)` | two digits in parentheses |
//!
//! Full-width parentheses `（19）` are read as `(19)`, and surrounding spaces are dropped; the canonical text
//! (what storage, pages and URLs carry) uses ASCII parentheses. This is what a Yima chain accepts: a region
//! whose certificates differ must extend this parser, not store free text, so that every unit has one code.
//!
//! **URLs**: a unit's page is `/equipment/{registration number}` (percent-encoded UTF-8) or, when the owner
//! labelled it with a GS1 GIAI, `/8004/{giai}` ([`crate::Giai`]).

use std::fmt;
use std::str::FromStr;

use parity_scale_codec::{Decode, Encode, EncodeLike, Input, MaxEncodedLen, Output};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CodeError;
use crate::Giai;

/// The kinds of special equipment (特种设备目录), each with the category character its registration number
/// starts with.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub enum EquipmentKind {
    /// Boiler (锅炉), `锅`.
    #[codec(index = 0)]
    Boiler,
    /// Pressure vessel (压力容器), `容`.
    #[codec(index = 1)]
    PressureVessel,
    /// Gas cylinder (气瓶), `瓶`.
    #[codec(index = 2)]
    GasCylinder,
    /// Pressure piping (压力管道), `管`.
    #[codec(index = 3)]
    PressurePiping,
    /// Elevator or escalator (电梯), `梯`: maintained every 15 days, inspected yearly.
    #[codec(index = 4)]
    Elevator,
    /// Lifting machinery (起重机械), `起`.
    #[codec(index = 5)]
    LiftingMachinery,
    /// Passenger ropeway (客运索道), `索`.
    #[codec(index = 6)]
    PassengerRopeway,
    /// Large amusement device (大型游乐设施), `游`.
    #[codec(index = 7)]
    AmusementDevice,
    /// In-plant motor vehicle (场（厂）内专用机动车辆), `车`.
    #[codec(index = 8)]
    InPlantVehicle,
}

impl EquipmentKind {
    /// Every kind, in codec order.
    pub const ALL: [EquipmentKind; 9] = [
        EquipmentKind::Boiler,
        EquipmentKind::PressureVessel,
        EquipmentKind::GasCylinder,
        EquipmentKind::PressurePiping,
        EquipmentKind::Elevator,
        EquipmentKind::LiftingMachinery,
        EquipmentKind::PassengerRopeway,
        EquipmentKind::AmusementDevice,
        EquipmentKind::InPlantVehicle,
    ];

    /// The character a registration number of this kind starts with.
    pub fn category(self) -> char {
        match self {
            EquipmentKind::Boiler => '锅',
            EquipmentKind::PressureVessel => '容',
            EquipmentKind::GasCylinder => '瓶',
            EquipmentKind::PressurePiping => '管',
            EquipmentKind::Elevator => '梯',
            EquipmentKind::LiftingMachinery => '起',
            EquipmentKind::PassengerRopeway => '索',
            EquipmentKind::AmusementDevice => '游',
            EquipmentKind::InPlantVehicle => '车',
        }
    }

    /// The kind whose registration numbers start with `c`.
    pub fn from_category(c: char) -> Option<EquipmentKind> {
        Self::ALL.into_iter().find(|k| k.category() == c)
    }

    /// The stable name: `boiler`, `pressure_vessel`, `gas_cylinder`, `pressure_piping`, `elevator`,
    /// `lifting_machinery`, `passenger_ropeway`, `amusement_device`, `in_plant_vehicle`.
    pub fn as_str(self) -> &'static str {
        match self {
            EquipmentKind::Boiler => "boiler",
            EquipmentKind::PressureVessel => "pressure_vessel",
            EquipmentKind::GasCylinder => "gas_cylinder",
            EquipmentKind::PressurePiping => "pressure_piping",
            EquipmentKind::Elevator => "elevator",
            EquipmentKind::LiftingMachinery => "lifting_machinery",
            EquipmentKind::PassengerRopeway => "passenger_ropeway",
            EquipmentKind::AmusementDevice => "amusement_device",
            EquipmentKind::InPlantVehicle => "in_plant_vehicle",
        }
    }

    /// The Chinese name, as the catalogue writes it.
    pub fn zh(self) -> &'static str {
        match self {
            EquipmentKind::Boiler => "锅炉",
            EquipmentKind::PressureVessel => "压力容器",
            EquipmentKind::GasCylinder => "气瓶",
            EquipmentKind::PressurePiping => "压力管道",
            EquipmentKind::Elevator => "电梯",
            EquipmentKind::LiftingMachinery => "起重机械",
            EquipmentKind::PassengerRopeway => "客运索道",
            EquipmentKind::AmusementDevice => "大型游乐设施",
            EquipmentKind::InPlantVehicle => "场（厂）内专用机动车辆",
        }
    }
}

impl fmt::Display for EquipmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EquipmentKind {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CodeError::UnknownEquipmentKind { found: s.into() })
    }
}

/// The 31 mainland province-level abbreviations (省份简称) a registration number may name, each with the first
/// two digits of its administrative division codes (GB/T 2260).
pub const PROVINCES: [(char, u32); 31] = [
    ('京', 11),
    ('津', 12),
    ('冀', 13),
    ('晋', 14),
    ('蒙', 15),
    ('辽', 21),
    ('吉', 22),
    ('黑', 23),
    ('沪', 31),
    ('苏', 32),
    ('浙', 33),
    ('皖', 34),
    ('闽', 35),
    ('赣', 36),
    ('鲁', 37),
    ('豫', 41),
    ('鄂', 42),
    ('湘', 43),
    ('粤', 44),
    ('桂', 45),
    ('琼', 46),
    ('渝', 50),
    ('川', 51),
    ('贵', 52),
    ('云', 53),
    ('藏', 54),
    ('陕', 61),
    ('甘', 62),
    ('青', 63),
    ('宁', 64),
    ('新', 65),
];

/// The two-digit division code of province abbreviation `c`.
fn province_code(c: char) -> Option<u32> {
    PROVINCES
        .iter()
        .find(|(p, _)| *p == c)
        .map(|(_, code)| *code)
}

/// Most bytes of a registration number's canonical text (3 + 2 + 3 + 1 + 6 + 4).
pub const MAX_REGISTRATION_BYTES: usize = 19;

/// A special-equipment registration number (使用登记证编号), canonical; see the module docs.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegistrationNumber(String);

fn registration_error(reason: &'static str) -> CodeError {
    CodeError::Registration { reason }
}

impl RegistrationNumber {
    /// Reads a registration number (see the module docs for the format).
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let s = s.trim();
        let mut chars = s.chars().peekable();
        let category = chars.next().ok_or(registration_error("it is empty"))?;
        if EquipmentKind::from_category(category).is_none() {
            return Err(registration_error(
                "it must start with the equipment category: one of 锅 容 瓶 管 梯 起 索 游 车",
            ));
        }
        let mut out = String::with_capacity(MAX_REGISTRATION_BYTES);
        out.push(category);
        for _ in 0..2 {
            match chars.next() {
                Some(c) if c.is_ascii_digit() || c.is_ascii_uppercase() => out.push(c),
                _ => {
                    return Err(registration_error(
                        "the category must be followed by the two-character variety code (digits or capital letters)",
                    ))
                }
            }
        }
        match chars.next() {
            Some(c) if province_code(c).is_some() => out.push(c),
            _ => {
                return Err(registration_error(
                    "the variety code must be followed by a province abbreviation such as 浙 or 京",
                ))
            }
        }
        match chars.next() {
            Some(c) if c.is_ascii_uppercase() => out.push(c),
            _ => {
                return Err(registration_error(
                    "the province must be followed by the registering city's capital letter (A-Z)",
                ))
            }
        }
        let mut digits = 0;
        while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
            out.push(c);
            digits += 1;
            chars.next();
        }
        if !(4..=6).contains(&digits) {
            return Err(registration_error(
                "the city letter must be followed by a sequence number of 4 to 6 digits",
            ));
        }
        let year: String = chars.collect();
        let year = year
            .strip_prefix(['(', '（'])
            .and_then(|y| y.strip_suffix([')', '）']))
            .filter(|y| y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(registration_error(
                "it must end with the year of registration as two digits in parentheses, e.g. (19)",
            ))?;
        out.push('(');
        out.push_str(year);
        out.push(')');
        Ok(Self(out))
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind its category character names.
    pub fn kind(&self) -> EquipmentKind {
        // The first character was checked by `parse`.
        self.0
            .chars()
            .next()
            .and_then(EquipmentKind::from_category)
            .unwrap_or(EquipmentKind::Elevator)
    }

    /// The first two digits of the administrative division codes (GB/T 2260) of the province that registered
    /// it: every unit it registers stands in an area whose 6-digit code starts with them.
    pub fn province_code(&self) -> u32 {
        // The fourth character was checked by `parse`.
        self.0.chars().nth(3).and_then(province_code).unwrap_or(0)
    }

    /// Its page's path, `/equipment/{number}` with the number percent-encoded.
    pub fn page_path(&self) -> String {
        let mut out = String::from("/equipment/");
        crate::digital_link::percent_encode(&self.0, &mut out);
        out
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistrationNumber({:?})", self.0)
    }
}

impl FromStr for RegistrationNumber {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Encode for RegistrationNumber {
    fn size_hint(&self) -> usize {
        1 + self.0.len()
    }

    fn encode_to<O: Output + ?Sized>(&self, dest: &mut O) {
        self.0.encode_to(dest)
    }
}

impl EncodeLike for RegistrationNumber {}

impl Decode for RegistrationNumber {
    fn decode<I: Input>(input: &mut I) -> Result<Self, parity_scale_codec::Error> {
        const INVALID: &str = "invalid registration number";
        let len = <parity_scale_codec::Compact<u32>>::decode(input)?.0 as usize;
        if len == 0 || len > MAX_REGISTRATION_BYTES {
            return Err(INVALID.into());
        }
        let mut bytes = [0u8; MAX_REGISTRATION_BYTES];
        input.read(&mut bytes[..len])?;
        let text = std::str::from_utf8(&bytes[..len]).map_err(|_| INVALID)?;
        match Self::parse(text) {
            // Only the canonical text decodes, so every decoded value re-encodes to its bytes.
            Ok(number) if number.0 == text => Ok(number),
            _ => Err(INVALID.into()),
        }
    }
}

impl MaxEncodedLen for RegistrationNumber {
    fn max_encoded_len() -> usize {
        1 + MAX_REGISTRATION_BYTES
    }
}

impl Serialize for RegistrationNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RegistrationNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a scanner or a person may give for a unit of equipment.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum EquipmentCode {
    /// The regulator's registration number: the unit's key on chain.
    Registration(RegistrationNumber),
    /// The owner's GS1 GIAI, which the register resolves to the registration number.
    Giai(Giai),
}

impl EquipmentCode {
    /// Reads a registration number, a GS1 Digital Link or element string naming a GIAI (`/8004/…`,
    /// `https://…/8004/…`, `(8004)…`), an `/equipment/{number}` path, or a bare GIAI.
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("/equipment/") {
            let text = crate::digital_link::percent_decode(rest, "equipment")?;
            return RegistrationNumber::parse(&text).map(EquipmentCode::Registration);
        }
        if s.chars()
            .next()
            .is_some_and(|c| EquipmentKind::from_category(c).is_some())
        {
            return RegistrationNumber::parse(s).map(EquipmentCode::Registration);
        }
        let gs1 = if s.starts_with('(') || s.starts_with(']') || s.contains('\u{1d}') {
            Some(crate::parse_element_string(s)?)
        } else if s.starts_with('/') || s.contains("://") {
            Some(crate::parse_digital_link(s)?)
        } else {
            None
        };
        match gs1 {
            Some(key) => key
                .giai
                .map(EquipmentCode::Giai)
                .ok_or(CodeError::NotEquipment),
            None => Giai::parse(s).map(EquipmentCode::Giai),
        }
    }

    /// The unit's page path: `/equipment/{number}` or `/8004/{giai}`.
    pub fn page_path(&self) -> String {
        match self {
            EquipmentCode::Registration(r) => r.page_path(),
            EquipmentCode::Giai(g) => g.digital_link_path(),
        }
    }
}

impl fmt::Display for EquipmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EquipmentCode::Registration(r) => r.fmt(f),
            EquipmentCode::Giai(g) => write!(f, "(8004){g}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(s: &str) -> RegistrationNumber {
        RegistrationNumber::parse(s).unwrap()
    }

    #[test]
    fn reads_a_certificate_number() {
        let r = reg(" 梯11浙A00123（19） ");
        assert_eq!(r.as_str(), "梯11浙A00123(19)");
        assert_eq!(r.kind(), EquipmentKind::Elevator);
        assert_eq!(r.province_code(), 33);
        assert_eq!(reg("锅3A京B1234(08)").kind(), EquipmentKind::Boiler);
        assert_eq!(
            reg("容21粤Z123456(23)").kind(),
            EquipmentKind::PressureVessel
        );
        assert!(r.as_str().len() <= MAX_REGISTRATION_BYTES);
        assert_eq!(
            r.page_path(),
            "/equipment/%E6%A2%AF11%E6%B5%99A00123%2819%29"
        );
    }

    #[test]
    fn refuses_each_part_with_its_reason() {
        for (bad, part) in [
            ("", "empty"),
            ("电11浙A00123(19)", "category"),
            ("梯1浙A00123(19)", "variety"),
            ("梯11港A00123(19)", "province"),
            ("梯11浙a00123(19)", "city"),
            ("梯11浙A123(19)", "sequence"),
            ("梯11浙A1234567(19)", "sequence"),
            ("梯11浙A00123", "year"),
            ("梯11浙A00123(2019)", "year"),
            ("梯11浙A00123(19)x", "year"),
        ] {
            let e = RegistrationNumber::parse(bad).unwrap_err().to_string();
            assert!(e.contains(part), "{bad:?}: {e}");
        }
    }

    #[test]
    fn scale_keeps_only_canonical_text() {
        let r = reg("梯11浙A00123(19)");
        let bytes = r.encode();
        assert_eq!(RegistrationNumber::decode(&mut &bytes[..]), Ok(r));
        assert!(RegistrationNumber::decode(&mut &"梯11浙A00123（19）".encode()[..]).is_err());
        assert!(RegistrationNumber::decode(&mut &"x".encode()[..]).is_err());
    }

    #[test]
    fn an_equipment_code_is_a_number_or_a_giai() {
        let r = reg("梯11浙A00123(19)");
        assert_eq!(
            EquipmentCode::parse("梯11浙A00123(19)"),
            Ok(EquipmentCode::Registration(r.clone()))
        );
        assert_eq!(
            EquipmentCode::parse(&r.page_path()),
            Ok(EquipmentCode::Registration(r))
        );
        let giai = Giai::parse("0614141ELEV7").unwrap();
        for text in [
            "0614141ELEV7",
            "/8004/0614141ELEV7",
            "https://id.example.com/8004/0614141ELEV7",
            "(8004)0614141ELEV7",
        ] {
            assert_eq!(
                EquipmentCode::parse(text),
                Ok(EquipmentCode::Giai(giai)),
                "{text}"
            );
        }
        assert_eq!(
            EquipmentCode::parse("/01/09521234543213/21/S1"),
            Err(CodeError::NotEquipment)
        );
        assert_eq!(EquipmentCode::Giai(giai).page_path(), "/8004/0614141ELEV7");
    }

    #[test]
    fn kinds_round_trip_their_names_and_characters() {
        for kind in EquipmentKind::ALL {
            assert_eq!(kind.as_str().parse::<EquipmentKind>(), Ok(kind));
            assert_eq!(EquipmentKind::from_category(kind.category()), Some(kind));
        }
        assert!("lift".parse::<EquipmentKind>().is_err());
    }
}
