//! The recipient's record card: every dose they received, oldest first, and nobody else's.

use yima_frame::assert_ok;

use yima_frame::storage::{StorageDoubleMap, StorageMap};

use crate::mock::*;
use crate::{DoseAt, Doses};

#[test]
fn each_recipient_sees_their_own_doses_oldest_first() {
    new_test_ext().execute_with(|| {
        doses_at_site(3);
        let mut first = record(2, "Wang");
        first.time = NOW - 9_000;
        assert_ok!(Vaccine::administer(&origin("site"), first));
        assert_ok!(Vaccine::administer(&origin("site"), record(1, "Zhao")));
        advance_to(NOW + 28 * DAY);
        let mut second = record(0, "Wang");
        second.time = NOW + 28 * DAY - 1_000;
        assert_ok!(Vaccine::administer(&origin("site"), second));

        let card = Vaccine::record_card(&person("Wang"));
        assert_eq!(
            card.iter()
                .map(|(code, a)| (*code, a.block))
                .collect::<Vec<_>>(),
            vec![(dose(2), 1), (dose(0), 2)]
        );
        assert!(card
            .iter()
            .all(|(_, a)| a.recipient == person("Wang") && a.site == SITE));
        assert_eq!(
            Vaccine::record_card(&person("Zhao"))
                .into_iter()
                .map(|(code, _)| code)
                .collect::<Vec<_>>(),
            vec![dose(1)]
        );
        assert_eq!(Vaccine::record_card(&person("Nobody")), vec![]);
    });
}

#[test]
fn the_card_is_counted_so_a_reader_can_prove_it_complete() {
    new_test_ext().execute_with(|| {
        doses_at_site(3);
        assert_ok!(Vaccine::administer(&origin("site"), record(2, "Wang")));
        assert_ok!(Vaccine::administer(&origin("site"), record(1, "Zhao")));
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));

        assert_eq!(Doses::get(&person("Wang")), Some(2));
        assert_eq!(Doses::get(&person("Zhao")), Some(1));
        assert_eq!(Doses::get(&person("Nobody")), None);
        assert_eq!(DoseAt::get(&person("Wang"), &0), Some(dose(2)));
        assert_eq!(DoseAt::get(&person("Wang"), &1), Some(dose(0)));
        assert_eq!(DoseAt::get(&person("Wang"), &2), None);
        assert_eq!(DoseAt::get(&person("Zhao"), &0), Some(dose(1)));
    });
}

#[test]
fn a_refused_dose_is_not_counted() {
    new_test_ext().execute_with(|| {
        doses_at_site(1);
        assert_ok!(Vaccine::administer(&origin("site"), record(0, "Wang")));
        assert!(Vaccine::administer(&origin("site"), record(0, "Zhao")).is_err());
        assert_eq!(Doses::get(&person("Zhao")), None);
        assert_eq!(DoseAt::get(&person("Zhao"), &0), None);
        assert_eq!(Doses::get(&person("Wang")), Some(1));
    });
}
