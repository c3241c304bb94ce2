//! SCALE encodings (documented layouts, refusals) and serde as strings.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_codes::{
    ColdChainCode, Gln, Gtin, LotNumber, NmpaCode, NmpaProductCode, ProductId, SerialNumber, Sscc,
    TraceCode,
};

fn decode<T: Decode>(bytes: &[u8]) -> Result<T, parity_scale_codec::Error> {
    T::decode(&mut &bytes[..])
}

#[test]
fn documented_layouts() {
    let gtin = Gtin::parse("09521234543213").unwrap();
    assert_eq!(gtin.encode(), 9_521_234_543_213u64.encode());
    let nmpa = NmpaCode::parse("81234567890123456789").unwrap();
    assert_eq!(nmpa.encode(), 1_234_567_890_123_456_789u64.encode());
    let product = NmpaProductCode::parse("8123456").unwrap();
    assert_eq!(product.encode(), 8_123_456u32.encode());
    let cold = ColdChainCode::new(330_100, 1).unwrap();
    assert_eq!(cold.encode(), (330_100u32, 1u64).encode());
    let serial = SerialNumber::parse("SER1").unwrap();
    assert_eq!(serial.encode(), "SER1".encode());
    let code = TraceCode::Sgtin { gtin, serial };
    let mut expected = vec![0u8];
    expected.extend(gtin.encode());
    expected.extend("SER1".encode());
    assert_eq!(code.encode(), expected);
    assert_eq!(
        TraceCode::Sscc(Sscc::parse("106141411234567897").unwrap()).encode()[0],
        1
    );
    assert_eq!(TraceCode::Nmpa(nmpa).encode()[0], 2);
    assert_eq!(TraceCode::ColdChain(cold).encode()[0], 3);
    assert_eq!(
        ProductId::Nmpa(product).encode(),
        [vec![1u8], product.encode()].concat()
    );
}

#[test]
fn max_encoded_lengths() {
    assert_eq!(Gtin::max_encoded_len(), 8);
    assert_eq!(Sscc::max_encoded_len(), 8);
    assert_eq!(Gln::max_encoded_len(), 8);
    assert_eq!(NmpaCode::max_encoded_len(), 8);
    assert_eq!(NmpaProductCode::max_encoded_len(), 4);
    assert_eq!(ColdChainCode::max_encoded_len(), 12);
    assert_eq!(SerialNumber::max_encoded_len(), 21);
    assert_eq!(TraceCode::max_encoded_len(), 30);
    assert_eq!(ProductId::max_encoded_len(), 9);
}

#[test]
fn decoding_refuses_invalid_values() {
    assert!(
        decode::<Gtin>(&9_521_234_543_210u64.encode()).is_err(),
        "bad check digit"
    );
    assert!(
        decode::<Gtin>(&100_000_000_000_000u64.encode()).is_err(),
        "15 digits"
    );
    assert!(decode::<Sscc>(&106_141_411_234_567_890u64.encode()).is_err());
    assert!(decode::<Gln>(&10_000_000_000_000u64.encode()).is_err());
    assert!(
        decode::<NmpaCode>(&u64::MAX.encode()).is_err(),
        "more than 19 digits after the 8"
    );
    assert!(decode::<NmpaProductCode>(&7_999_999u32.encode()).is_err());
    assert!(decode::<NmpaProductCode>(&9_000_000u32.encode()).is_err());
    assert!(decode::<ColdChainCode>(&(1_000_000u32, 0u64).encode()).is_err());
    assert!(decode::<ColdChainCode>(&(0u32, 10_000_000_000u64).encode()).is_err());
    assert!(decode::<LotNumber>(&"".encode()).is_err(), "empty");
    assert!(
        decode::<LotNumber>(&"ABCDEFGHIJKLMNOPQRSTU".encode()).is_err(),
        "21 characters"
    );
    assert!(decode::<SerialNumber>(&"A B".encode()).is_err(), "space");
    assert!(
        decode::<SerialNumber>(&vec![0xffu8].encode()).is_err(),
        "not UTF-8"
    );
    assert!(decode::<TraceCode>(&[4u8]).is_err(), "unknown variant");
    assert!(decode::<ProductId>(&[2u8]).is_err(), "unknown variant");
    // A compact length that claims more than 20 bytes is refused before anything is read.
    assert!(decode::<SerialNumber>(&[0xfe, 0xff, 0xff, 0xff]).is_err());
}

#[test]
fn serde_uses_the_canonical_strings() {
    let code = TraceCode::parse("(01)09521234543213(21)SER1").unwrap();
    let json = serde_json::to_string(&code).unwrap();
    assert_eq!(json, "\"/01/09521234543213/21/SER1\"");
    assert_eq!(serde_json::from_str::<TraceCode>(&json).unwrap(), code);
    // Deserialising accepts any scanner form and normalises it.
    assert_eq!(
        serde_json::from_str::<TraceCode>("\"(01)09521234543213(21)SER1\"").unwrap(),
        code
    );
    let err = serde_json::from_str::<TraceCode>("\"09521234543213\"").unwrap_err();
    assert!(err.to_string().contains("a GTIN names a product"), "{err}");

    assert_eq!(
        serde_json::to_string(&Gtin::parse("96385074").unwrap()).unwrap(),
        "\"00000096385074\""
    );
    assert_eq!(
        serde_json::from_str::<Gtin>("\"96385074\"").unwrap(),
        Gtin::parse("00000096385074").unwrap()
    );
    assert!(serde_json::from_str::<Sscc>("\"106141411234567890\"").is_err());
    let cold = ColdChainCode::new(1, 1).unwrap();
    assert_eq!(
        serde_json::to_string(&cold).unwrap(),
        "\"CL0000010000000001V\""
    );
    assert_eq!(
        serde_json::from_str::<ColdChainCode>("\"CL0000010000000001V\"").unwrap(),
        cold
    );
    let product = ProductId::parse("8123456").unwrap();
    assert_eq!(serde_json::to_string(&product).unwrap(), "\"8123456\"");
    assert_eq!(
        serde_json::from_str::<ProductId>("\"8123456\"").unwrap(),
        product
    );
    assert!(serde_json::from_str::<LotNumber>("\"LOT 1\"").is_err());
    assert_eq!(
        serde_json::from_str::<NmpaCode>("\"81234567890123456789\"")
            .unwrap()
            .as_str(),
        "81234567890123456789"
    );
    assert_eq!(
        serde_json::to_string(&Gln::parse("0614141000012").unwrap()).unwrap(),
        "\"0614141000012\""
    );
}
