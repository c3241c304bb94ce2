//! [`CodeError`], the one error type of the crate, and the small enums its messages are built from.
//!
//! Every message names the rule that failed and, where there is one, the value that was expected, so that a
//! scanner operator (or an RPC client) can fix the input without reading this crate. Positions count characters
//! from 1.

use std::fmt;

use crate::ai::{Charset, Format};
use crate::gs1::{Gln, Gtin};

/// Which numeric code a digit-only, length or check-digit rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeKind {
    /// A GTIN (AI 01).
    Gtin,
    /// An SSCC (AI 00).
    Sscc,
    /// A GLN (AI 414).
    Gln,
    /// The 20-digit NMPA drug traceability code.
    NmpaCode,
    /// The 7-digit NMPA drug product code (药品标识码).
    NmpaProductCode,
    /// Our cold-chain trace code.
    ColdChain,
    /// An expiry date, AI 17 (YYMMDD).
    Expiry,
}

impl CodeKind {
    /// The name with its indefinite article ("a GTIN", "an SSCC"), for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            CodeKind::Gtin => "a GTIN",
            CodeKind::Sscc => "an SSCC",
            CodeKind::Gln => "a GLN",
            CodeKind::NmpaCode => "an NMPA drug code",
            CodeKind::NmpaProductCode => "an NMPA product code",
            CodeKind::ColdChain => "a cold-chain code",
            CodeKind::Expiry => "an expiry date (AI 17)",
        }
    }
}

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeKind::Gtin => "GTIN",
            CodeKind::Sscc => "SSCC",
            CodeKind::Gln => "GLN",
            CodeKind::NmpaCode => "NMPA drug code",
            CodeKind::NmpaProductCode => "NMPA product code",
            CodeKind::ColdChain => "cold-chain code",
            CodeKind::Expiry => "expiry date (AI 17)",
        })
    }
}

/// Which GS1 character-set-82 value a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextField {
    /// A batch or lot number, AI 10.
    Lot,
    /// A serial number, AI 21.
    Serial,
    /// A consumer product variant, AI 22.
    Cpv,
}

impl fmt::Display for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextField::Lot => "lot number",
            TextField::Serial => "serial number",
            TextField::Cpv => "consumer product variant",
        })
    }
}

/// Where a GS1 application identifier was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AiPlace {
    /// A GS1 element string (bracketed or FNC1-separated).
    ElementString,
    /// The path of a GS1 Digital Link URI.
    DigitalLinkPath,
    /// The query string of a GS1 Digital Link URI.
    DigitalLinkQuery,
    /// [`Gs1Key::attributes`](crate::Gs1Key::attributes) or [`Gs1Key::insert`](crate::Gs1Key::insert).
    Attributes,
}

impl fmt::Display for AiPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AiPlace::ElementString => "element string",
            AiPlace::DigitalLinkPath => "Digital Link path",
            AiPlace::DigitalLinkQuery => "Digital Link query",
            AiPlace::Attributes => "Gs1Key attributes",
        })
    }
}

/// Why a string (or SCALE value) is not a valid code. Each variant is one rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Nothing to parse.
    #[error("empty code")]
    Empty,

    /// A character that is not an ASCII digit where only digits are allowed.
    #[error(
        "character '{character}' at position {position} is not allowed in {} (digits only)",
        .kind.with_article()
    )]
    NotADigit {
        /// The code being read.
        kind: CodeKind,
        /// The offending character.
        character: char,
        /// Its position, counting from 1.
        position: usize,
    },

    /// The wrong number of digits.
    #[error("{kind} must have {expected} digits, got {got}")]
    WrongLength {
        /// The code being read.
        kind: CodeKind,
        /// The allowed lengths, in words (e.g. "8, 12, 13 or 14").
        expected: &'static str,
        /// How many characters the input has.
        got: usize,
    },

    /// A GS1 mod-10 check digit that does not match the digits before it.
    #[error("{kind} check digit is {found}, expected {expected}")]
    CheckDigit {
        /// The code being read.
        kind: CodeKind,
        /// The check digit given.
        found: u8,
        /// The check digit the other digits call for.
        expected: u8,
    },

    /// A GS1 key of all zeros: valid check digit, but never issued.
    #[error("{} of all zeros is not issued by GS1", .kind.with_article())]
    AllZeros {
        /// The key's kind (GTIN, SSCC or GLN).
        kind: CodeKind,
    },

    /// An NMPA code or product code that does not start with `8`.
    #[error("{kind} must start with 8")]
    NmpaPrefix {
        /// [`CodeKind::NmpaCode`] or [`CodeKind::NmpaProductCode`].
        kind: CodeKind,
        /// The first digit given.
        found: char,
    },

    /// A lot, serial or CPV that is empty or longer than 20 characters.
    #[error("{field} must have 1 to 20 characters, got {got}")]
    TextLength {
        /// The value being read.
        field: TextField,
        /// How many characters it has.
        got: usize,
    },

    /// A character outside GS1 character set 82 in a lot, serial or CPV.
    #[error("character '{character}' at position {position} is not allowed in a {field} (GS1 character set 82)")]
    TextCharacter {
        /// The value being read.
        field: TextField,
        /// The offending character.
        character: char,
        /// Its position in the value, counting from 1.
        position: usize,
    },

    /// A cold-chain code that is not 19 characters long.
    #[error("cold-chain code must have 19 characters, got {got}")]
    ColdChainLength {
        /// How many characters the input has.
        got: usize,
    },

    /// A cold-chain code that does not start with `CL`.
    #[error("cold-chain code must start with CL")]
    ColdChainPrefix {
        /// The first two characters given.
        found: String,
    },

    /// A cold-chain check character outside `0-9A-Z`.
    #[error("cold-chain code check character '{character}' is not one of 0-9A-Z")]
    ColdChainCheckCharacter {
        /// The offending character.
        character: char,
    },

    /// A cold-chain check character that does not match the 16 digits.
    #[error("cold-chain code check character is '{found}', expected '{expected}'")]
    ColdChainCheck {
        /// The check character given (upper-cased).
        found: char,
        /// The check character the digits call for.
        expected: char,
    },

    /// A cold-chain issuer number with more than 6 digits.
    #[error("cold-chain issuer number must be below 1000000, got {issuer}")]
    ColdChainIssuer {
        /// The issuer number given.
        issuer: u32,
    },

    /// A cold-chain serial with more than 10 digits.
    #[error("cold-chain serial must be below 10000000000, got {serial}")]
    ColdChainSerial {
        /// The serial given.
        serial: u64,
    },

    /// An expiry year outside the 2000–2099 window.
    #[error("expiry year (AI 17) must be 2000 to 2099, got {year}")]
    ExpiryYear {
        /// The year given.
        year: u16,
    },

    /// An expiry month outside 01–12.
    #[error("expiry month (AI 17) must be 01 to 12, got {month:02}")]
    ExpiryMonth {
        /// The month given.
        month: u8,
    },

    /// An expiry day that the month does not have.
    #[error("expiry date (AI 17) {year}-{month:02}-{day:02} does not exist")]
    ExpiryDay {
        /// The year.
        year: u16,
        /// The month.
        month: u8,
        /// The day given.
        day: u8,
    },

    /// An application identifier this crate does not read (or not at this place).
    #[error("unknown GS1 application identifier ({ai}) in {place}")]
    UnknownAi {
        /// The AI (or path segment) as given.
        ai: String,
        /// Where it was found.
        place: AiPlace,
    },

    /// The same application identifier twice.
    #[error("AI ({ai}) appears twice")]
    DuplicateAi {
        /// The repeated AI.
        ai: String,
    },

    /// An application identifier with nothing after it.
    #[error("AI ({ai}) has no value")]
    MissingValue {
        /// The AI.
        ai: String,
    },

    /// A fixed-length AI value of the wrong length.
    #[error("AI ({ai}) must have {expected} digits, got {got}")]
    AiValueLength {
        /// The AI.
        ai: String,
        /// Its fixed length.
        expected: usize,
        /// How many characters were given.
        got: usize,
    },

    /// An AI value whose length its format does not allow (for a value of exactly N digits, see
    /// [`CodeError::AiValueLength`]).
    #[error("AI ({ai}) must have {format}, got {got} characters")]
    AiValueFormat {
        /// The AI.
        ai: String,
        /// Its format.
        format: Format,
        /// How many characters were given.
        got: usize,
    },

    /// A character an AI's format does not allow at its place.
    #[error(
        "character '{character}' at position {position} is not allowed in AI ({ai}) ({charset})"
    )]
    AiValueCharacter {
        /// The AI.
        ai: String,
        /// The offending character.
        character: char,
        /// Its position in the value, counting from 1.
        position: usize,
        /// What the format allows there.
        charset: Charset,
    },

    /// A GS1 key inside an AI value (such as the GLN of AI 410) whose mod-10 check digit does not match.
    #[error("AI ({ai}) check digit is {found}, expected {expected}")]
    AiCheckDigit {
        /// The AI.
        ai: String,
        /// The check digit given.
        found: u8,
        /// The check digit the other digits call for.
        expected: u8,
    },

    /// An AI value of the right shape whose content breaks a rule: a date that does not exist, an hour of 24, …
    #[error("AI ({ai}) value {value} is not valid: {rule}")]
    AiValueContent {
        /// The AI.
        ai: String,
        /// The value given.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },

    /// An AI with its own field in [`Gs1Key`](crate::Gs1Key) found among its attributes.
    #[error("AI ({ai}) has its own field in Gs1Key: it cannot be one of the attributes")]
    NotAnAttribute {
        /// The AI.
        ai: String,
    },

    /// [`Gs1Key::attributes`](crate::Gs1Key::attributes) out of AI order.
    #[error(
        "attribute AI ({ai}) must come before ({after}): Gs1Key attributes are kept in AI order"
    )]
    AttributeOrder {
        /// The AI that came too late.
        ai: String,
        /// The AI it must precede.
        after: String,
    },

    /// A key or key qualifier among the attributes, which a Digital Link can carry neither in its path (only
    /// 01, 00 or 414 with 22, 10, 21) nor in its query.
    #[error(
        "AI ({ai}) is a GS1 key or key qualifier that a Digital Link cannot carry besides its primary key: \
         use an element string"
    )]
    NotInDigitalLink {
        /// The AI.
        ai: String,
    },

    /// More than one of the primary keys GTIN (01), SSCC (00) and GLN (414).
    #[error("only one GS1 primary key is allowed, found ({first}) and ({second})")]
    MultiplePrimaryKeys {
        /// The first primary key's AI.
        first: String,
        /// The second primary key's AI.
        second: String,
    },

    /// A key qualifier or attribute that only makes sense with a GTIN, without one.
    #[error("AI ({ai}) needs a GTIN (AI 01)")]
    NeedsGtin {
        /// The AI that needs a GTIN.
        ai: String,
    },

    /// No GTIN, SSCC or GLN at all.
    #[error("no GS1 primary key found: expected a GTIN (01), an SSCC (00) or a GLN (414)")]
    NoGs1Key,

    /// An element string that cannot be split into AIs and values.
    #[error("malformed element string at position {position}: {reason}")]
    MalformedElementString {
        /// Where the problem is, counting characters from 1.
        position: usize,
        /// What was expected there.
        reason: &'static str,
    },

    /// A `]xx` symbology identifier that does not announce GS1 data.
    #[error("symbology identifier {found} does not announce GS1 data (expected ]C1, ]d2, ]e0, ]J1 or ]Q3)")]
    SymbologyIdentifier {
        /// The identifier given.
        found: String,
    },

    /// A Digital Link URI that is not shaped like one.
    #[error("malformed Digital Link: {reason}")]
    MalformedDigitalLink {
        /// What is wrong.
        reason: &'static str,
    },

    /// A Digital Link path whose first AI is not a primary key.
    #[error(
        "Digital Link path must start with a primary key (/01/, /00/ or /414/), found /{found}/"
    )]
    PrimaryKeyFirst {
        /// The AI found first.
        found: String,
    },

    /// Digital Link qualifiers out of the fixed order /22/, /10/, /21/.
    #[error("Digital Link qualifier /{earlier}/ must come before /{later}/")]
    QualifierOrder {
        /// The qualifier that came too late.
        earlier: String,
        /// The qualifier it must precede.
        later: String,
    },

    /// A Digital Link qualifier after a primary key that takes no such qualifier.
    #[error("Digital Link qualifier /{qualifier}/ is not allowed after /{key}/")]
    QualifierNotAllowed {
        /// The qualifier.
        qualifier: String,
        /// The primary key's AI.
        key: String,
    },

    /// A data attribute (such as AI 17 or 15) in a Digital Link path.
    #[error("AI ({ai}) is a data attribute: it belongs in the Digital Link query (?{ai}=…), not the path")]
    AttributeInPath {
        /// The AI.
        ai: String,
    },

    /// A key or key qualifier in a Digital Link query string.
    #[error(
        "AI ({ai}) is a key or key qualifier: it belongs in the Digital Link path, not the query"
    )]
    KeyInQuery {
        /// The AI.
        ai: String,
    },

    /// A `%` not followed by two hexadecimal digits.
    #[error("invalid percent-encoding '{found}' in a Digital Link")]
    PercentEncoding {
        /// The offending text, from the `%`.
        found: String,
    },

    /// Percent-encoded bytes that do not form UTF-8 text.
    #[error("the value of AI ({ai}) is not UTF-8 text once percent-decoded")]
    NotUtf8 {
        /// The AI whose value it is.
        ai: String,
    },

    /// A GTIN alone: it names a product, not an item.
    #[error("a GTIN names a product, not an item: add its serial (AI 21)")]
    GtinWithoutSerial {
        /// The GTIN given.
        gtin: Gtin,
    },

    /// A GLN alone: it names a location, not an item.
    #[error("a GLN names a location, not a traceable item")]
    GlnNotTraceable {
        /// The GLN given.
        gln: Gln,
    },

    /// A GIAI alone: it names a piece of equipment, not goods.
    #[error("a GIAI (AI 8004) names a piece of equipment, not traceable goods: open it as equipment (/8004/{giai})")]
    GiaiNotTraceable {
        /// The GIAI given.
        giai: crate::Giai,
    },

    /// A GIAI shorter than 5 or longer than 30 characters.
    #[error("a GIAI (AI 8004) has 5 to 30 characters (a GS1 Company Prefix and an asset reference), got {got}")]
    GiaiLength {
        /// How many characters it has.
        got: usize,
    },

    /// A character outside GS1 character set 82 in a GIAI.
    #[error("character '{character}' at position {position} is not allowed in a GIAI (AI 8004: GS1 character set 82)")]
    GiaiCharacter {
        /// The offending character.
        character: char,
        /// Its position, counting from 1.
        position: usize,
    },

    /// A GIAI that does not start with four digits.
    #[error("a GIAI (AI 8004) starts with its GS1 Company Prefix: at least four digits")]
    GiaiPrefix,

    /// A special-equipment registration number (使用登记证编号) that breaks the format.
    #[error("not a special-equipment registration number (e.g. 梯11浙A00123(19)): {reason}")]
    Registration {
        /// Which part is wrong, and what it must be.
        reason: &'static str,
    },

    /// An equipment kind name that is none of ours.
    #[error("unknown equipment kind {found:?}: expected boiler, pressure_vessel, gas_cylinder, pressure_piping, elevator, lifting_machinery, passenger_ropeway, amusement_device or in_plant_vehicle")]
    UnknownEquipmentKind {
        /// The name given.
        found: String,
    },

    /// A GS1 key that names no equipment.
    #[error("this GS1 code names no equipment: a unit is named by its registration number (e.g. 梯11浙A00123(19)) or its GIAI (AI 8004)")]
    NotEquipment,

    /// Not a product id: neither a GTIN nor a 7-digit NMPA product code.
    #[error(
        "not a product id: expected a GTIN (8, 12, 13 or 14 digits) or a 7-digit NMPA product code"
    )]
    NotAProductId,

    /// None of the forms a trace code may take.
    #[error(
        "not a trace code: expected a GS1 Digital Link URI, a GS1 element string, an 18-digit SSCC, \
         a 20-digit NMPA drug code or a CL cold-chain code"
    )]
    Unrecognised,
}
