//! [`TABLE`]: the AIs this crate knows, after the GS1 General Specifications (see [`crate::ai`]).

use super::{AiSpec, Charset, DlRole, Format, Lint};
use crate::error::CodeKind;

use DlRole::{Attribute as A, PrimaryKey as K, Qualifier as Q};
use Format::{Digits as N, DigitsUpTo as NUpTo, TextUpTo as X};

const fn entry(
    first: &'static str,
    last: &'static str,
    title: &'static str,
    format: Format,
    predefined: bool,
    lints: &'static [Lint],
    dl: DlRole,
) -> AiSpec {
    AiSpec {
        first,
        last,
        decimals: false,
        title,
        format,
        predefined,
        lints,
        dl,
    }
}

const fn one(ai: &'static str, title: &'static str, format: Format, dl: DlRole) -> AiSpec {
    entry(ai, ai, title, format, false, &[], dl)
}

const fn measures(first: &'static str, last: &'static str) -> AiSpec {
    AiSpec {
        decimals: true,
        ..entry(first, last, "MEASURE (n decimals)", N(6), true, &[], A)
    }
}

const fn then(digits: u8, tail: Charset, min: u8, max: u8, optional: bool) -> Format {
    Format::DigitsThen {
        digits,
        tail,
        min,
        max,
        optional,
    }
}

const fn key(at: u8, len: u8, zeros: Option<CodeKind>) -> Lint {
    Lint::CheckDigit { at, len, zeros }
}

const GTIN: &[Lint] = &[key(0, 14, Some(CodeKind::Gtin))];
const GLN: &[Lint] = &[key(0, 13, Some(CodeKind::Gln))];
const DATE_00: &[Lint] = &[Lint::Date { at: 0, day00: true }];
const DATE: Lint = Lint::Date {
    at: 0,
    day00: false,
};

/// The AIs this crate knows, in AI order. Typed fields of [`crate::Gs1Key`] (00, 01, 10, 17, 21, 22, 414) are
/// here too, for their format and Digital Link role.
#[rustfmt::skip]
pub const TABLE: &[AiSpec] = &[
    entry("00", "00", "SSCC", N(18), true, &[key(0, 18, Some(CodeKind::Sscc))], K),
    entry("01", "01", "GTIN", N(14), true, GTIN, K),
    entry("02", "02", "CONTENT", N(14), true, GTIN, A),
    one("10", "BATCH/LOT", X(20), Q),
    entry("11", "11", "PROD DATE", N(6), true, DATE_00, A),
    entry("12", "12", "DUE DATE", N(6), true, DATE_00, A),
    entry("13", "13", "PACK DATE", N(6), true, DATE_00, A),
    entry("15", "15", "BEST BEFORE or BEST BY", N(6), true, DATE_00, A),
    entry("16", "16", "SELL BY", N(6), true, DATE_00, A),
    entry("17", "17", "USE BY or EXPIRY", N(6), true, DATE_00, A),
    entry("20", "20", "VARIANT", N(2), true, &[], A),
    one("21", "SERIAL", X(20), Q),
    one("22", "CPV", X(20), Q),
    one("235", "TPX", X(28), Q),
    one("240", "ADDITIONAL ID", X(30), A),
    one("241", "CUST. PART No.", X(30), A),
    one("242", "MTO VARIANT", NUpTo(6), A),
    one("243", "PCN", X(20), A),
    one("250", "SECONDARY SERIAL", X(30), A),
    one("251", "REF. TO SOURCE", X(30), A),
    entry("253", "253", "GDTI", then(13, Charset::Cset82, 1, 17, true), false, &[key(0, 13, None)], K),
    one("254", "GLN EXTENSION COMPONENT", X(20), Q),
    entry("255", "255", "GCN", then(13, Charset::Digits, 1, 12, true), false, &[key(0, 13, None)], K),
    one("30", "VAR. COUNT", NUpTo(8), A),
    measures("3100", "3165"),
    measures("3200", "3375"),
    measures("3400", "3575"),
    measures("3600", "3695"),
    one("37", "COUNT", NUpTo(8), A),
    one("400", "ORDER NUMBER", X(30), A),
    one("401", "GINC", X(30), K),
    entry("402", "402", "GSIN", N(17), false, &[key(0, 17, None)], K),
    one("403", "ROUTE", X(30), A),
    entry("410", "413", "SHIP TO LOC, BILL TO, PURCHASE FROM or SHIP FOR LOC", N(13), true, GLN, A),
    entry("414", "415", "LOC No. or PAY TO", N(13), true, GLN, K),
    entry("416", "416", "PROD/SERV LOC", N(13), true, GLN, A),
    entry("417", "417", "PARTY", N(13), true, GLN, K),
    one("420", "SHIP TO POST", X(20), A),
    one("421", "SHIP TO POST (with ISO country code)", then(3, Charset::Cset82, 1, 9, false), A),
    one("422", "ORIGIN", N(3), A),
    one("424", "COUNTRY - PROCESS", N(3), A),
    one("426", "COUNTRY - FULL PROCESS", N(3), A),
    one("427", "ORIGIN SUBDIVISION", X(3), A),
    one("7001", "NSN", N(13), A),
    one("7002", "MEAT CUT", X(30), A),
    entry("7003", "7003", "EXPIRY TIME", N(10), false, &[DATE, Lint::Time { at: 6 }], A),
    one("7005", "CATCH AREA", X(12), A),
    entry("7006", "7006", "FIRST FREEZE DATE", N(6), false, &[DATE], A),
    entry(
        "7007",
        "7007",
        "HARVEST DATE",
        then(6, Charset::Digits, 6, 6, true),
        false,
        &[DATE, Lint::Date { at: 6, day00: false }],
        A,
    ),
    entry("710", "715", "NHRN (national healthcare reimbursement number)", X(20), false, &[], A),
    entry(
        "8003",
        "8003",
        "GRAI",
        then(14, Charset::Cset82, 1, 16, true),
        false,
        &[Lint::LeadingZero, key(1, 13, None)],
        K,
    ),
    one("8004", "GIAI", X(30), K),
    entry(
        "8006",
        "8006",
        "ITIP",
        N(18),
        false,
        &[key(0, 14, Some(CodeKind::Gtin)), Lint::PieceOfTotal { at: 14 }],
        K,
    ),
    one("8012", "VERSION", X(20), A),
    entry("8017", "8018", "GSRN - PROVIDER or RECIPIENT", N(18), false, &[key(0, 18, None)], K),
    one("8019", "SRIN", NUpTo(10), Q),
    one("8020", "REF No.", X(25), Q),
    one("90", "INTERNAL", X(30), A),
    entry("91", "99", "COMPANY INTERNAL INFORMATION", X(90), false, &[], A),
];
