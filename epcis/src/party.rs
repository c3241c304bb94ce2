//! Sources and destinations: the party ids a document names, and the caller's mapping between them and on-chain
//! organisations ([`PartyResolver`] on import, [`PartyNamer`] on export).
//!
//! A party id that is a GS1 GLN (`urn:epc:id:pgln:…`, `urn:epc:id:sgln:…` without extension, a Digital Link
//! `/417/{gln}` or `/414/{gln}`) is read as [`PartyId::Gln`]; anything else is kept as given in
//! [`PartyId::Other`].

use yima_codes::Gln;
use yima_frame::OrgId;

use crate::urn::{is_epc_urn, urn_to_digital_link, GS1_DL_HOST};

/// A party as a document names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PartyId {
    /// A GS1 Global Location Number (of a party or a location).
    Gln(Gln),
    /// Any other id, trimmed, as given.
    Other(String),
}

impl PartyId {
    /// Reads a source/destination id.
    pub fn parse(s: &str) -> PartyId {
        let t = s.trim();
        let dl = if is_epc_urn(t) {
            urn_to_digital_link(t).ok()
        } else {
            Some(t.to_owned())
        };
        if let Some(dl) = dl {
            if let Some(gln) = gln_of_digital_link(&dl) {
                return PartyId::Gln(gln);
            }
        }
        PartyId::Other(t.to_owned())
    }

    /// The id as written on export: `https://id.gs1.org/417/{gln}` or the other id.
    pub fn to_uri(&self) -> String {
        match self {
            PartyId::Gln(gln) => format!("{GS1_DL_HOST}/417/{gln}"),
            PartyId::Other(id) => id.clone(),
        }
    }
}

/// The GLN of a Digital Link whose path ends in `/417/{gln}` or `/414/{gln}` (no extension).
pub(crate) fn gln_of_digital_link(dl: &str) -> Option<Gln> {
    let rest = dl
        .strip_prefix("https://")
        .or_else(|| dl.strip_prefix("http://"))?;
    let path = rest.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        [.., "414" | "417", gln] if segments.len() >= 3 => Gln::parse(gln).ok(),
        _ => None,
    }
}

/// CBV source/destination types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartyRole {
    /// `owning_party`.
    OwningParty,
    /// `possessing_party`.
    PossessingParty,
    /// `location`.
    Location,
    /// No type, or a private one.
    Unspecified,
}

/// A source or destination entry as given in the document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Party {
    /// Its CBV type.
    pub role: PartyRole,
    /// Its id.
    pub id: PartyId,
}

/// Maps a party id of an imported document to the on-chain organisation it is; `None` if unknown.
pub trait PartyResolver {
    /// The organisation `party` is.
    fn resolve(&self, party: &PartyId) -> Option<OrgId>;
}

impl<F: Fn(&PartyId) -> Option<OrgId>> PartyResolver for F {
    fn resolve(&self, party: &PartyId) -> Option<OrgId> {
        self(party)
    }
}

/// Names an on-chain organisation for an exported document; `None` writes `urn:yima:org:{id}`.
pub trait PartyNamer {
    /// The party id of `org`.
    fn name(&self, org: OrgId) -> Option<PartyId>;
}

impl<F: Fn(OrgId) -> Option<PartyId>> PartyNamer for F {
    fn name(&self, org: OrgId) -> Option<PartyId> {
        self(org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gln_forms_read_as_one() {
        let gln = PartyId::Gln(Gln::parse("4012345000009").unwrap());
        assert_eq!(PartyId::parse("urn:epc:id:pgln:4012345.00000"), gln);
        assert_eq!(
            PartyId::parse("https://id.example.com/417/4012345000009"),
            gln
        );
        assert_eq!(PartyId::parse(&gln.to_uri()), gln);
        assert_eq!(
            PartyId::parse(" urn:example:party:7 "),
            PartyId::Other("urn:example:party:7".into())
        );
    }
}
