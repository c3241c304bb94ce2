//! The policy: root only, validated, and in force from the next check on.

use yima_frame::{assert_noop, assert_ok, DispatchError, Origin};

use crate::mock::*;
use crate::types::{DrugPolicy, DAY_MS, MAX_WINDOW_MS};
use crate::{Error, Event};

#[test]
fn the_default_is_two_per_sale_six_in_thirty_days_and_black_boxes_required() {
    new_test_ext().execute_with(|| {
        assert_eq!(
            Drug::policy(),
            DrugPolicy {
                max_packs_per_sale: 2,
                window_packs: 6,
                window_ms: 30 * DAY_MS,
                require_batch_records: true
            }
        );
    });
}

#[test]
fn root_sets_the_policy_and_the_new_limit_applies() {
    new_test_ext().execute_with(|| {
        stocked(20);
        let policy = DrugPolicy {
            window_packs: 4,
            ..DrugPolicy::default()
        };
        assert_ok!(Drug::set_policy(&Origin::Root, policy));
        assert_eq!(last_event(), RuntimeEvent::Drug(Event::PolicySet(policy)));
        assert_eq!(Drug::policy(), policy);
        assert_ok!(sell(
            "pharmacy",
            "buyer Chen",
            vec![unit(COMPOUND, 0), unit(COMPOUND, 1)]
        ));
        assert_ok!(sell(
            "pharmacy",
            "buyer Chen",
            vec![unit(COMPOUND, 2), unit(COMPOUND, 3)]
        ));
        assert_noop!(
            sell("pharmacy", "buyer Chen", vec![unit(COMPOUND, 4)]),
            Error::PurchaseLimitExceeded
        );
    });
}

#[test]
fn only_root_sets_the_policy() {
    new_test_ext().execute_with(|| {
        for who in ["regulator", "pharmacy"] {
            assert!(matches!(
                Drug::set_policy(&origin(who), DrugPolicy::default()),
                Err(DispatchError::BadOrigin { .. })
            ));
        }
    });
}

#[test]
fn nonsense_is_refused() {
    new_test_ext().execute_with(|| {
        let d = DrugPolicy::default();
        for bad in [
            DrugPolicy {
                max_packs_per_sale: 0,
                ..d
            },
            DrugPolicy {
                window_packs: 0,
                ..d
            },
            DrugPolicy { window_ms: 0, ..d },
            DrugPolicy {
                window_ms: MAX_WINDOW_MS + 1,
                ..d
            },
        ] {
            assert_noop!(Drug::set_policy(&Origin::Root, bad), Error::InvalidPolicy);
        }
    });
}
