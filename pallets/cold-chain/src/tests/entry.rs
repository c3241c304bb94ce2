//! Customs entry: an importer declares a lot of its cold-chain product; the consignment opens the lot's history.

use yima_codes::ProductId;
use yima_frame::storage::StorageMap;
use yima_frame::{assert_noop, assert_ok, DispatchError, Hash, Role};
use yima_trace::epcis::{Action, BizStep, BizTransactionKind, EventBody};
use yima_trace::types::Category;

use crate::mock::*;
use crate::types::{ColdLot, CountryCode, DeclarationNumber, PortCode};
use crate::{ColdLots, Entries, Error, Event};

#[test]
fn an_importer_declares_a_lot_and_the_consignment_is_commissioned_at_the_port() {
    new_test_ext().execute_with(|| {
        register_beef();
        assert_ok!(ColdChain::declare_entry(
            &origin("importer"),
            declaration("L1")
        ));
        let d = declaration("L1");
        System::assert_last_event(Event::EntryDeclared {
            lot: lot("L1"),
            importer: IMPORTER,
            declaration: d.declaration,
            origin: d.origin,
            port: d.port,
            consignment: consignment("L1"),
            quantity: 2_400,
        });
        let entry = Entries::get(&lot("L1")).unwrap();
        assert_eq!(entry.importer, IMPORTER);
        assert_eq!(entry.clearance, None);
        assert_eq!(entry.codes_issued, 0);
        assert_eq!(ColdLots::get(&lot("L1")), Some(ColdLot::Imported));
        // The trace core holds the lot and the consignment, custodian the importer.
        assert_eq!(Trace::lot(&lot("L1")).unwrap().owner, IMPORTER);
        assert_eq!(Trace::code(&consignment("L1")).unwrap().custodian, IMPORTER);
        // Two trace events: the commissioning with the declared quantity, the link to the declaration.
        let captured: Vec<_> = System::events()
            .into_iter()
            .filter_map(|r| match r.event {
                RuntimeEvent::Trace(yima_trace::Event::Captured { org, event, .. }) => {
                    Some((org, event))
                }
                _ => None,
            })
            .collect();
        assert_eq!(captured.len(), 2);
        let (org, commission) = &captured[0];
        assert_eq!(*org, IMPORTER);
        assert_eq!(commission.biz_step, BizStep::Commissioning);
        assert!(matches!(
            &commission.body,
            EventBody::Object { action: Action::Add, quantities, .. }
                if quantities[0].quantity == 2_400 && quantities[0].uom == Some(*b"KGM")
        ));
        assert!(matches!(
            &captured[1].1.body,
            EventBody::Transaction { biz_transactions, .. }
                if biz_transactions[0].kind == BizTransactionKind::CustomsDeclaration
                    && biz_transactions[0].digest == doc(900)
        ));
    });
}

#[test]
fn only_an_importer_operator_declares() {
    new_test_ext().execute_with(|| {
        register_beef();
        for who in ["customs", "warehouse", "distributor", "regulator"] {
            assert_noop!(
                ColdChain::declare_entry(&origin(who), declaration("L1")),
                Error::NotImporter
            );
        }
        assert_noop!(
            ColdChain::declare_entry(&origin("importer-viewer"), declaration("L1")),
            DispatchError::MissingRole(Role::Operator)
        );
    });
}

#[test]
fn malformed_declarations_are_refused_with_the_field_named() {
    new_test_ext().execute_with(|| {
        register_beef();
        let cases: Vec<(crate::EntryDeclaration, Error)> = vec![
            (
                crate::EntryDeclaration {
                    declaration: DeclarationNumber(*b"31042026100001234X"),
                    ..declaration("L1")
                },
                Error::InvalidDeclarationNumber,
            ),
            (
                crate::EntryDeclaration {
                    origin: CountryCode(*b"XX"),
                    ..declaration("L1")
                },
                Error::InvalidCountry,
            ),
            (
                crate::EntryDeclaration {
                    origin: CountryCode(*b"nz"),
                    ..declaration("L1")
                },
                Error::InvalidCountry,
            ),
            (
                crate::EntryDeclaration {
                    port: PortCode(*b"CNNG1"),
                    ..declaration("L1")
                },
                Error::InvalidPort,
            ),
            (
                crate::EntryDeclaration {
                    uom: Some(*b"kg "),
                    ..declaration("L1")
                },
                Error::InvalidUnit,
            ),
            (
                crate::EntryDeclaration {
                    quantity: 0,
                    ..declaration("L1")
                },
                Error::ZeroQuantity,
            ),
            (
                crate::EntryDeclaration {
                    document: Hash::default(),
                    ..declaration("L1")
                },
                Error::InvalidDigest,
            ),
        ];
        for (d, error) in cases {
            assert_noop!(ColdChain::declare_entry(&origin("importer"), d), error);
        }
    });
}

#[test]
fn the_product_must_be_the_importers_cold_chain_food() {
    new_test_ext().execute_with(|| {
        // Unknown product.
        assert_noop!(
            ColdChain::declare_entry(&origin("importer"), declaration("L1")),
            Error::NotColdChainProduct
        );
        // A product of another category.
        register("importer", domestic(), Category::Food);
        let d = crate::EntryDeclaration {
            lot: lot_of(domestic(), "L1"),
            consignment: sgtin(domestic(), "C1"),
            ..declaration("L1")
        };
        assert_noop!(
            ColdChain::declare_entry(&origin("importer"), d),
            Error::NotColdChainProduct
        );
        // Another importer's product.
        register_beef();
        assert_noop!(
            ColdChain::declare_entry(&origin("rival"), declaration("L1")),
            Error::NotProductOwner
        );
        assert!(Trace::product(&ProductId::Gtin(beef())).is_some());
    });
}

#[test]
fn a_lot_is_declared_once() {
    new_test_ext().execute_with(|| {
        declared("L1");
        let again = crate::EntryDeclaration {
            consignment: consignment("L1b"),
            ..declaration("L1")
        };
        assert_noop!(
            ColdChain::declare_entry(&origin("importer"), again),
            Error::AlreadyDeclared
        );
    });
}

#[test]
fn the_trace_core_refuses_what_it_refuses_and_nothing_is_kept() {
    new_test_ext().execute_with(|| {
        register_beef();
        // An expiry before production: the trace core's lot rule.
        let d = crate::EntryDeclaration {
            expiry: NOW - 40 * DAY,
            ..declaration("L1")
        };
        assert_noop!(
            ColdChain::declare_entry(&origin("importer"), d),
            yima_trace::Error::LotMismatch
        );
        // A consignment code of another product.
        let d = crate::EntryDeclaration {
            consignment: sgtin(patties(), "C1"),
            ..declaration("L1")
        };
        assert_noop!(
            ColdChain::declare_entry(&origin("importer"), d),
            yima_trace::Error::ProductMismatch
        );
        assert!(Entries::get(&lot("L1")).is_none());
    });
}
