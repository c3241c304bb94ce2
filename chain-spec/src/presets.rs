//! The built-in chain specs: `dev`, `local` and `demo`.
//!
//! Their genesis time is fixed (2026-01-01T00:00:00Z) so the same preset always has the same genesis hash.

use yima_frame::{Role, Roles};
use yima_membership::{
    CompanyPrefix, GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::RuntimeGenesisConfig;

use crate::dev_keys::dev_account;
use crate::spec::{ChainSpec, ChainType};

/// Genesis time of every preset: 2026-01-01T00:00:00Z in ms.
pub const PRESET_GENESIS_TIME: u64 = 1_767_225_600_000;

/// Blocks a governance proposal stays open in the presets (about a day at one block per second).
pub const PRESET_PROPOSAL_LIFETIME: u64 = 86_400;

/// The preset called `name`, if there is one.
pub fn by_name(name: &str) -> Option<ChainSpec> {
    match name {
        "dev" => Some(dev()),
        "local" => Some(local()),
        "demo" => Some(demo()),
        _ => None,
    }
}

/// Every preset's name.
pub const PRESET_NAMES: [&str; 3] = ["dev", "local", "demo"];

const REGULATOR_USCC: &str = "11330100MA2Y00000E";
const MANUFACTURER_USCC: &str = "91330100MA2Y00303G";

fn uscc(s: &str) -> Uscc {
    Uscc::parse(s).expect("preset USCCs are valid")
}

fn org(name: &str, kind: OrgKind, code: &str) -> GenesisOrganisation {
    GenesisOrganisation {
        name: name.to_string(),
        kind,
        uscc: uscc(code),
        prefixes: vec![],
    }
}

/// `org` holding the GS1 company prefixes `prefixes`.
fn org_with_prefixes(
    name: &str,
    kind: OrgKind,
    code: &str,
    prefixes: &[&str],
) -> GenesisOrganisation {
    GenesisOrganisation {
        prefixes: prefixes
            .iter()
            .map(|p| CompanyPrefix::parse(p).expect("preset prefixes are valid"))
            .collect(),
        ..org(name, kind, code)
    }
}

/// The GS1 company prefix of the dev and local manufacturers (their test product 09521234543213).
const DEV_MANUFACTURER_PREFIXES: [&str; 1] = ["9521234"];

/// The GS1 company prefixes of the demo organisations, by dev key name: every GTIN a demo history or a demo
/// test registers lies under its registrant's prefix (GS1 China's 690–699 range; the demo products are
/// 0697000000xxx, the worked example's imported beef and its steak 06901234xxxxx).
pub fn demo_prefixes(key: &str) -> &'static [&'static str] {
    match key {
        "manufacturer" => &["6970000002", "9521234"],
        "importer" => &["6970000001", "69012345"],
        "producer" => &["69700000050"],
        "processor" => &["6970000000", "69700000051", "69012346"],
        _ => &[],
    }
}

fn account(name: &str, code: &str, roles: &[Role]) -> GenesisAccount {
    GenesisAccount {
        account: dev_account(name),
        uscc: uscc(code),
        roles: Roles::of(roles),
    }
}

fn validators(names: &[&str]) -> Vec<Validator> {
    names
        .iter()
        .map(|n| Validator {
            key: dev_account(n),
            power: 1,
        })
        .collect()
}

const REGULATOR_ROLES: [Role; 3] = [Role::Admin, Role::Operator, Role::Governance];
const BUSINESS_ROLES: [Role; 2] = [Role::Admin, Role::Operator];

fn spec(id: &str, name: &str, chain_type: ChainType, membership: GenesisConfig) -> ChainSpec {
    ChainSpec {
        id: id.to_string(),
        name: name.to_string(),
        protocol_id: "yima".to_string(),
        chain_type,
        boot_nodes: Vec::new(),
        allowed_peers: Vec::new(),
        genesis: RuntimeGenesisConfig {
            timestamp: PRESET_GENESIS_TIME,
            system: Default::default(),
            membership,
            trace: Default::default(),
            // The public dev key: `yima person-id` on these chains gives the demo's ids (demo/people.rs).
            attestation: yima_attestation::GenesisConfig {
                person_id: Some(yima_person_id::PersonIdScheme::for_key(
                    &yima_person_id::PersonIdKey::dev(),
                )),
                ..Default::default()
            },
        },
    }
}

/// One validator (`alice`), a regulator (`alice`) and a manufacturer (`bob`).
pub fn dev() -> ChainSpec {
    spec(
        "yima_dev",
        "Yima Development",
        ChainType::Development,
        GenesisConfig {
            organisations: vec![
                org("Dev Market Regulator", OrgKind::Regulator, REGULATOR_USCC),
                org_with_prefixes(
                    "Dev Manufacturer",
                    OrgKind::Manufacturer,
                    MANUFACTURER_USCC,
                    &DEV_MANUFACTURER_PREFIXES,
                ),
            ],
            accounts: vec![
                account("alice", REGULATOR_USCC, &REGULATOR_ROLES),
                account("bob", MANUFACTURER_USCC, &BUSINESS_ROLES),
            ],
            validators: validators(&["alice"]),
            regulator_threshold: 1,
            proposal_lifetime: PRESET_PROPOSAL_LIFETIME,
        },
    )
}

/// Four validators (`alice`, `bob`, `charlie`, `dave`), three regulator voters with a threshold of two.
pub fn local() -> ChainSpec {
    spec(
        "yima_local",
        "Yima Local Testnet",
        ChainType::Local,
        GenesisConfig {
            organisations: vec![
                org("Local Market Regulator", OrgKind::Regulator, REGULATOR_USCC),
                org_with_prefixes(
                    "Local Manufacturer",
                    OrgKind::Manufacturer,
                    MANUFACTURER_USCC,
                    &DEV_MANUFACTURER_PREFIXES,
                ),
            ],
            accounts: vec![
                account("alice", REGULATOR_USCC, &REGULATOR_ROLES),
                account("bob", REGULATOR_USCC, &REGULATOR_ROLES),
                account("charlie", REGULATOR_USCC, &REGULATOR_ROLES),
                account("dave", MANUFACTURER_USCC, &BUSINESS_ROLES),
            ],
            validators: validators(&["alice", "bob", "charlie", "dave"]),
            regulator_threshold: 2,
            proposal_lifetime: PRESET_PROPOSAL_LIFETIME,
        },
    )
}

/// `(dev key name, organisation name, kind, USCC)` of every demo organisation: one of every kind, and a second
/// pharmacy so the demo's pharmacy network shows a buyer's purchases counted across pharmacies.
pub const DEMO_ORGANISATIONS: [(&str, &str, OrgKind, &str); 21] = [
    (
        "alice",
        "浙江省市场监督管理局 (demo)",
        OrgKind::Regulator,
        REGULATOR_USCC,
    ),
    (
        "customs",
        "杭州海关 (demo)",
        OrgKind::Customs,
        "11330100MA2Y001017",
    ),
    (
        "cdc",
        "杭州市疾病预防控制中心 (demo)",
        OrgKind::Cdc,
        "11330100MA2Y002020",
    ),
    (
        "manufacturer",
        "Demo Biologics Co., Ltd.",
        OrgKind::Manufacturer,
        MANUFACTURER_USCC,
    ),
    (
        "importer",
        "Demo Import & Export Co., Ltd.",
        OrgKind::Importer,
        "91330100MA2Y004049",
    ),
    (
        "producer",
        "Demo Tea Farm Cooperative",
        OrgKind::Producer,
        "91330100MA2Y005052",
    ),
    (
        "processor",
        "Demo Food Processing Co., Ltd.",
        OrgKind::Processor,
        "91330100MA2Y00606T",
    ),
    (
        "cold_warehouse",
        "Demo Cold Storage Co., Ltd.",
        OrgKind::ColdWarehouse,
        "91330100MA2Y00707K",
    ),
    (
        "supervised_warehouse",
        "Demo Supervised First-Stop Warehouse",
        OrgKind::SupervisedWarehouse,
        "91330100MA2Y00808C",
    ),
    (
        "carrier",
        "Demo Cold-Chain Logistics Co., Ltd.",
        OrgKind::Carrier,
        "91330100MA2Y009095",
    ),
    (
        "distributor",
        "Demo Pharma Distribution Co., Ltd.",
        OrgKind::Distributor,
        "91330100MA2Y01010E",
    ),
    (
        "retailer",
        "Demo Supermarket Co., Ltd.",
        OrgKind::Retailer,
        "91330100MA2Y011117",
    ),
    (
        "caterer",
        "Demo School Canteen",
        OrgKind::Caterer,
        "91330100MA2Y012120",
    ),
    (
        "pharmacy",
        "Demo Pharmacy Chain Co., Ltd.",
        OrgKind::Pharmacy,
        "91330100MA2Y01313Q",
    ),
    (
        "hospital",
        "Demo People's Hospital",
        OrgKind::Hospital,
        "12330100MA2Y01414N",
    ),
    (
        "vaccination_site",
        "Demo Community Vaccination Clinic",
        OrgKind::VaccinationSite,
        "12330100MA2Y01515F",
    ),
    (
        "inspection_body",
        "Demo Food & Drug Inspection Institute",
        OrgKind::InspectionBody,
        "12330100MA2Y016168",
    ),
    (
        "certification_body",
        "Demo Certification Centre",
        OrgKind::CertificationBody,
        "91330100MA2Y01717U",
    ),
    (
        "pharmacy2",
        "Demo Riverside Pharmacy Co., Ltd.",
        OrgKind::Pharmacy,
        "91330100MA2Y01818L",
    ),
    (
        "maintenance_firm",
        "Demo Elevator Maintenance Co., Ltd.",
        OrgKind::MaintenanceFirm,
        "91330100MA2Y01919D",
    ),
    (
        "insurer",
        "Demo Property Insurance Co., Ltd.",
        OrgKind::Insurer,
        "91330100MA2Y02020N",
    ),
];

/// An organisation of every kind with an admin account each (named after the kind), `alice`, `bob` and
/// `charlie` as regulator voters (threshold 2) and `alice` as the one validator — what `yima-node --dev` runs.
pub fn demo() -> ChainSpec {
    let mut accounts: Vec<GenesisAccount> = DEMO_ORGANISATIONS
        .iter()
        .map(|(key, _, kind, code)| match kind {
            OrgKind::Regulator => account(key, code, &REGULATOR_ROLES),
            OrgKind::InspectionBody
            | OrgKind::CertificationBody
            | OrgKind::Customs
            | OrgKind::MaintenanceFirm
            | OrgKind::Insurer => {
                account(key, code, &[Role::Admin, Role::Operator, Role::Inspector])
            }
            _ => account(key, code, &BUSINESS_ROLES),
        })
        .collect();
    accounts.push(account("bob", REGULATOR_USCC, &REGULATOR_ROLES));
    accounts.push(account("charlie", REGULATOR_USCC, &REGULATOR_ROLES));
    spec(
        "yima_demo",
        "Yima Demo",
        ChainType::Development,
        GenesisConfig {
            organisations: DEMO_ORGANISATIONS
                .iter()
                .map(|(key, name, kind, code)| {
                    org_with_prefixes(name, *kind, code, demo_prefixes(key))
                })
                .collect(),
            accounts,
            validators: validators(&["alice"]),
            regulator_threshold: 2,
            proposal_lifetime: PRESET_PROPOSAL_LIFETIME,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChainSpecError;

    #[test]
    fn every_preset_builds_and_round_trips_through_json() {
        for name in PRESET_NAMES {
            let spec = by_name(name).unwrap();
            let hash = spec.genesis_hash().unwrap();
            let reparsed =
                ChainSpec::from_json_bytes(spec.to_json_pretty().as_bytes(), name).unwrap();
            assert_eq!(reparsed, spec);
            assert_eq!(
                reparsed.genesis_hash().unwrap(),
                hash,
                "{name}: JSON changed genesis"
            );
        }
    }

    #[test]
    fn presets_are_distinct_chains() {
        let hashes: Vec<_> = PRESET_NAMES
            .iter()
            .map(|n| by_name(n).unwrap().genesis_hash().unwrap())
            .collect();
        assert_ne!(hashes[0], hashes[1]);
        assert_ne!(hashes[1], hashes[2]);
        assert_ne!(hashes[0], hashes[2]);
    }

    #[test]
    fn demo_has_an_organisation_of_every_kind() {
        let spec = demo();
        let kinds: std::collections::BTreeSet<String> = spec
            .genesis
            .membership
            .organisations
            .iter()
            .map(|o| format!("{:?}", o.kind))
            .collect();
        assert_eq!(kinds.len(), 20, "one organisation of each of the 20 kinds");
        let (genesis, _) = spec.genesis_in_memory().unwrap();
        assert_eq!(genesis.validators.len(), 1);
    }

    /// The dev chain's identity must not drift: a change here means every signed dev transaction and every
    /// stored dev database is invalidated. Update the constant only for a deliberate change of genesis.
    #[test]
    fn dev_genesis_hash_is_fixed() {
        let a = dev().genesis_hash().unwrap();
        let b = dev().genesis_hash().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_hex(), DEV_GENESIS_HASH);
    }

    const DEV_GENESIS_HASH: &str =
        "18290761355caad25b63e603a237c291e555d11b67f7ae975ab7d599937b721a";

    #[test]
    fn load_resolves_presets_and_files_and_names_unknown_chains() {
        assert_eq!(ChainSpec::load("dev").unwrap(), dev());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.json");
        local().write_json_file(&path).unwrap();
        assert_eq!(ChainSpec::load(path.to_str().unwrap()).unwrap(), local());
        assert!(matches!(
            ChainSpec::load("nope"),
            Err(ChainSpecError::UnknownPreset(_))
        ));
        std::fs::write(&path, b"{\"id\": 1}").unwrap();
        let err = ChainSpec::load(path.to_str().unwrap()).unwrap_err();
        assert!(err.to_string().contains("not valid JSON"), "{err}");
    }

    #[test]
    fn a_bad_genesis_is_refused_with_the_reason() {
        let mut spec = dev();
        spec.genesis.membership.validators.clear();
        assert!(matches!(
            spec.genesis_hash(),
            Err(ChainSpecError::Genesis(_))
        ));
    }
}
