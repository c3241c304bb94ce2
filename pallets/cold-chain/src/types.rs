//! What the cold-chain pallet keeps and the identifiers its calls carry: customs declaration numbers, ISO 3166
//! countries, UN/LOCODE ports, vehicle plates, the customs entry of a lot with its clearance, positive test
//! reports, and which lots the "four no's" apply to.
//!
//! Identifiers travel as plain bytes and are checked by the call that receives them, so a malformed one is a
//! refusal on chain (nonce spent, `ExtrinsicFailed` with the specific error), not an undecodable transaction.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use yima_attestation::AttestationId;
use yima_codes::TraceCode;
use yima_frame::{BlockNumber, Hash, Moment, OrgId};
use yima_trace::types::LotKey;

use crate::Error;

/// A customs declaration number (报关单号): 18 ASCII digits.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub struct DeclarationNumber(pub [u8; 18]);

impl DeclarationNumber {
    /// Parses 18 digits.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bytes: [u8; 18] = s
            .as_bytes()
            .try_into()
            .map_err(|_| Error::InvalidDeclarationNumber)?;
        let number = DeclarationNumber(bytes);
        number.check()?;
        Ok(number)
    }

    /// Refuses anything but 18 ASCII digits.
    pub fn check(&self) -> Result<(), Error> {
        if self.0.iter().all(u8::is_ascii_digit) {
            Ok(())
        } else {
            Err(Error::InvalidDeclarationNumber)
        }
    }

    /// The number as text (digits only once checked).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// The ISO 3166-1 alpha-2 codes officially assigned (249), concatenated in alphabetical order.
const ISO_3166_ALPHA2: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ\
BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ\
DEDJDKDMDODZ\
ECEEEGEHERESET\
FIFJFKFMFOFR\
GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY\
HKHMHNHRHTHU\
IDIEILIMINIOIQIRISIT\
JEJMJOJP\
KEKGKHKIKMKNKPKRKWKYKZ\
LALBLCLILKLRLSLTLULVLY\
MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ\
NANCNENFNGNINLNONPNRNUNZ\
OM\
PAPEPFPGPHPKPLPMPNPRPSPTPWPY\
QA\
RERORSRURW\
SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ\
TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ\
UAUGUMUSUYUZ\
VAVCVEVGVIVNVU\
WFWS\
YEYT\
ZAZMZW";

/// A country of origin: an officially assigned ISO 3166-1 alpha-2 code, upper case (`NZ`, `BR`, `NO`).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub struct CountryCode(pub [u8; 2]);

impl CountryCode {
    /// Every officially assigned code.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        ISO_3166_ALPHA2
            .as_bytes()
            .chunks_exact(2)
            .map(|c| CountryCode([c[0], c[1]]))
    }

    /// Parses an assigned code (upper case only: one code, one spelling).
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bytes: [u8; 2] = s.as_bytes().try_into().map_err(|_| Error::InvalidCountry)?;
        let code = CountryCode(bytes);
        code.check()?;
        Ok(code)
    }

    /// Refuses a code that is not officially assigned (user-assigned `AA`, `XK`, `ZZ`, lower case …).
    pub fn check(&self) -> Result<(), Error> {
        if Self::all().any(|c| c == *self) {
            Ok(())
        } else {
            Err(Error::InvalidCountry)
        }
    }
}

/// A port of entry by its UN/LOCODE: the country's alpha-2 code and three characters `A-Z`/`2-9` (`CNNGB`
/// Ningbo, `CNSHA` Shanghai).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Encode, Decode, MaxEncodedLen,
)]
pub struct PortCode(pub [u8; 5]);

impl PortCode {
    /// Parses a UN/LOCODE.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bytes: [u8; 5] = s.as_bytes().try_into().map_err(|_| Error::InvalidPort)?;
        let port = PortCode(bytes);
        port.check()?;
        Ok(port)
    }

    /// Refuses anything but an assigned country followed by three of `A-Z2-9`.
    pub fn check(&self) -> Result<(), Error> {
        CountryCode([self.0[0], self.0[1]])
            .check()
            .map_err(|_| Error::InvalidPort)?;
        if self.0[2..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'9').contains(b))
        {
            Ok(())
        } else {
            Err(Error::InvalidPort)
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// The provinces' one-character abbreviations that begin a Chinese vehicle plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// Whether `plate` is a Chinese vehicle plate in its one canonical spelling: a province character, the issuing
/// office's letter, then 5 characters (conventional plate) or 6 (new-energy plate) of `A-Z0-9` without `I` and
/// `O`; no separator (`浙A12345`, `浙AD12345`). A plate names a vehicle, not a person.
pub fn is_valid_plate(plate: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(plate) else {
        return false;
    };
    let mut chars = s.chars();
    let (Some(province), Some(office)) = (chars.next(), chars.next()) else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    PLATE_PROVINCES.contains(province)
        && office.is_ascii_uppercase()
        && (rest.len() == 5 || rest.len() == 6)
        && rest
            .iter()
            .all(|c| (c.is_ascii_uppercase() || c.is_ascii_digit()) && *c != 'I' && *c != 'O')
}

/// What an importer declares at customs for one lot (the call's argument).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct EntryDeclaration {
    /// The customs declaration number.
    pub declaration: DeclarationNumber,
    /// SHA-256 of the declaration document (recorded as the EPCIS business transaction).
    pub document: Hash,
    /// Country of origin.
    pub origin: CountryCode,
    /// Port of entry.
    pub port: PortCode,
    /// The lot: the importer's registered cold-chain product and its lot number.
    pub lot: LotKey,
    /// The code the importer labels the consignment with (an SGTIN of the product, e.g. serial = declaration
    /// number); commissioned in the lot by the entry, consumed when the warehouse issues cold-chain codes.
    pub consignment: TraceCode,
    /// Declared quantity, in `uom` (or pieces).
    pub quantity: u64,
    /// UN/CEFACT unit of measure, e.g. `KGM`.
    pub uom: Option<[u8; 3]>,
    /// Production date, ms UTC.
    pub production_date: Moment,
    /// Expiry, ms UTC.
    pub expiry: Moment,
}

/// Customs clearance of an entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Clearance {
    /// The customs organisation.
    pub customs: OrgId,
    /// The inspection/quarantine certificate it cited.
    pub certificate: AttestationId,
    /// The block it was cleared in.
    pub at: BlockNumber,
}

/// The customs entry of an imported lot and how far it got.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Entry {
    /// The importing organisation.
    pub importer: OrgId,
    /// The customs declaration number.
    pub declaration: DeclarationNumber,
    /// Country of origin.
    pub origin: CountryCode,
    /// Port of entry.
    pub port: PortCode,
    /// The consignment code.
    pub consignment: TraceCode,
    /// Declared quantity.
    pub quantity: u64,
    /// Unit of measure.
    pub uom: Option<[u8; 3]>,
    /// The block it was declared in.
    pub declared_at: BlockNumber,
    /// Set once customs cleared it.
    pub clearance: Option<Clearance>,
    /// How many cold-chain codes were issued in the lot.
    pub codes_issued: u32,
}

/// A positive test on a lot (一键排查): while it stands the lot is held; a regulator's release removes it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct PositiveReport {
    /// The inspection body or regulator that reported it.
    pub by: OrgId,
    /// SHA-256 of the test report.
    pub report: Hash,
    /// The block it was reported in.
    pub at: BlockNumber,
    /// Whether the lot stands recalled in the trace core after the report (a regulator's report recalls it; an
    /// earlier recall counts too).
    pub recalled: bool,
}

/// A negative test on a cold-chain lot: a retest when it was reported while the lot's positive hold stood.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct NegativeReport {
    /// The inspection body or regulator that reported it.
    pub by: OrgId,
    /// The block it was reported in.
    pub at: BlockNumber,
    /// The positive report of the hold it retests, if the lot was held by its own positive test then.
    pub retests: Option<Hash>,
}

/// A regulator's release of a positive lot's hold (its retest was negative).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Release {
    /// The regulator.
    pub by: OrgId,
    /// The positive report the hold came from.
    pub positive: Hash,
    /// The negative retest cited (its report digest).
    pub retest: Hash,
    /// SHA-256 of the regulator's decision document.
    pub decision: Hash,
    /// Whether the release also ended the lot's recall in the trace core (the one the positive report made).
    pub recall_lifted: bool,
    /// The block it was decided in.
    pub at: BlockNumber,
}

/// A regulator's disposal of a held lot (不合格产品后处理): its codes count as destroyed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub struct Disposal {
    /// The regulator.
    pub by: OrgId,
    /// The `UNQUALIFIED_PRODUCT_DISPOSAL` attestation cited.
    pub disposal: AttestationId,
    /// The block it was decided in.
    pub at: BlockNumber,
}

/// Why the "four no's" apply to a lot.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub enum ColdLot {
    /// A lot of an imported cold-chain food product (category `cold_chain_food`).
    #[codec(index = 0)]
    Imported,
    /// A lot made (by transformation) from imported lots, which it inherits the four no's of; sorted.
    #[codec(index = 1)]
    Derived(Vec<LotKey>),
}

/// A carrier's temperature summary over its leg, hundredths of a degree Celsius.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct TemperatureSummary {
    /// Lowest reading.
    pub min: i32,
    /// Highest reading.
    pub max: i32,
    /// Mean reading.
    pub mean: i32,
    /// The logger's id (at most 64 bytes), if known.
    pub device: Option<Vec<u8>>,
}
