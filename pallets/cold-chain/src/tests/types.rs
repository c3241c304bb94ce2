//! The identifiers: declaration numbers, ISO 3166 countries, UN/LOCODE ports, vehicle plates.

use crate::types::{is_valid_plate, CountryCode, DeclarationNumber, PortCode};
use crate::Error;

#[test]
fn the_iso_3166_list_has_every_assigned_code_once() {
    let all: Vec<CountryCode> = CountryCode::all().collect();
    assert_eq!(all.len(), 249);
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, all, "alphabetical, no duplicates");
    for code in [
        "CN", "NZ", "BR", "NO", "AR", "AU", "RU", "US", "EC", "SS", "BQ", "CW",
    ] {
        assert!(CountryCode::parse(code).is_ok(), "{code}");
    }
    for code in ["AA", "XK", "ZZ", "UK", "EU", "QM", "cn", "C", "CHN"] {
        assert_eq!(
            CountryCode::parse(code),
            Err(Error::InvalidCountry),
            "{code}"
        );
    }
}

#[test]
fn ports_are_un_locodes() {
    for port in ["CNNGB", "CNSHA", "CNTAO", "CNXMN", "NZAKL"] {
        assert!(PortCode::parse(port).is_ok(), "{port}");
    }
    for port in ["CNNG", "CNNGB1", "XXNGB", "CNngb", "CNNG0", "CNNG1"] {
        assert_eq!(PortCode::parse(port), Err(Error::InvalidPort), "{port}");
    }
}

#[test]
fn declaration_numbers_are_18_digits() {
    let n = DeclarationNumber::parse("310420261000012345").unwrap();
    assert_eq!(n.as_str(), "310420261000012345");
    for bad in [
        "31042026100001234",
        "3104202610000123456",
        "31042026100001234A",
        "",
    ] {
        assert_eq!(
            DeclarationNumber::parse(bad),
            Err(Error::InvalidDeclarationNumber),
            "{bad}"
        );
    }
}

#[test]
fn vehicle_plates_have_one_spelling() {
    for plate in ["浙A12345", "浙AD12345", "沪B8K9Z2", "粤Z1234X"] {
        assert!(is_valid_plate(plate.as_bytes()), "{plate}");
    }
    for plate in [
        "浙A1234",    // too short
        "浙A1234567", // too long
        "浙A·12345",  // separator
        "浙a12345",   // lower-case office
        "浙A12O45",   // O is not used
        "ZJA12345",   // no province
        "港A12345",   // not a mainland province
        " 浙A12345",
        "",
    ] {
        assert!(!is_valid_plate(plate.as_bytes()), "{plate}");
    }
    assert!(!is_valid_plate(&[0xff, 0x41]));
}
