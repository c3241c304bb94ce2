//! The demo's people: each a made-up resident id (GB 11643, valid check character; no real person's) whose
//! pseudonymous id is derived under the dev chains' public person-id key, exactly as `yima person-id` derives it
//! on a dev, local or demo chain: `yima person-id derive 330106198503150016` prints recipient 1's id.

use yima_attestation::PseudonymousId;
use yima_person_id::{PersonIdKey, ResidentId};

/// Every demo person: label → made-up resident id.
pub const PEOPLE: [(&str, &str); 8] = [
    ("recipient 1", "330106198503150016"),
    ("recipient 2", "33010619920708002X"),
    ("recipient 3", "330106200101220034"),
    ("vaccinator 01", "330102197809110041"),
    ("pharmacist 01", "330106196904300055"),
    ("pharmacist 02", "330105198806060062"),
    ("patient 1", "33010619950817007X"),
    ("buyer 1", "330106197312050085"),
];

/// The resident id of the demo person `label`.
pub fn resident_id(label: &str) -> ResidentId {
    let (_, id) = PEOPLE
        .iter()
        .find(|(l, _)| *l == label)
        .unwrap_or_else(|| panic!("no demo person {label:?}: add them to PEOPLE"));
    ResidentId::parse(id).expect("the demo's resident ids are valid")
}

/// The pseudonymous id of the demo person `label` on the dev chains.
pub fn person(label: &str) -> PseudonymousId {
    PseudonymousId(PersonIdKey::dev().derive(&resident_id(label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_person_has_a_valid_id_and_an_id_the_chain_accepts() {
        for (label, _) in PEOPLE {
            assert!(
                yima_attestation::pseudonym::check(&person(label)).is_ok(),
                "{label}"
            );
        }
        // One id per person: no two demo people share one.
        let ids: std::collections::BTreeSet<_> = PEOPLE.iter().map(|(l, _)| person(l).0).collect();
        assert_eq!(ids.len(), PEOPLE.len());
    }
}
