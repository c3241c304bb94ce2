//! Test support for the pallets built on the trace core (cargo feature `testing`, for dev-dependencies): the
//! usual GS1 test codes, EPCIS event builders at a given time, and [`domain_test_runtime!`](crate::domain_test_runtime)
//! — the mock runtime of a domain pallet that gates trace capture and reads attestations.
//!
//! The builders take the event time `at` and leave what a mock decides — its lot dates, its clock — to it.

use parity_scale_codec::Encode;
use yima_codes::{gs1_check_digit, Gtin, LotNumber, ProductId, SerialNumber, Sscc, TraceCode};
use yima_frame::{DispatchResult, Hash, Moment, OrgId, Origin};

use crate::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use crate::types::{Category, LotKey, TemperatureRange};

/// The time of block 1 in the mock runtimes: 2026-06-01T00:00:00Z, ms.
pub const NOW: Moment = 1_780_272_000_000;
/// One day, ms.
pub const DAY: Moment = 86_400_000;

/// The time zone of the test events: China Standard Time, UTC+8, in minutes.
pub const CST_MINUTES: i16 = 480;

/// The GTIN-14 whose first 13 digits are `body` (the check digit is computed).
pub fn gtin(body: &str) -> Gtin {
    let check = gs1_check_digit(body.as_bytes());
    Gtin::parse(&format!("{body}{check}")).expect("13 digits")
}

/// The digest a test regulator cites as `product`'s licence.
pub fn licence(product: &ProductId) -> Hash {
    yima_frame::sha256(&(b"test licence", product).encode())
}

/// Registers `product` as `owner` and, when its category needs a regulator's approval, approves it as
/// `regulator` citing [`licence`]: the one-line product setup of tests. (The owner must hold the GTIN's company
/// prefix; see `yima_membership::testing::hold_gtins`.)
pub fn register_approved<T: crate::Config>(
    owner: &Origin,
    regulator: &Origin,
    product: ProductId,
    name: Vec<u8>,
    category: Category,
    temperature: Option<TemperatureRange>,
    shelf_life_days: u32,
) -> DispatchResult {
    crate::Pallet::<T>::register_product(
        owner,
        product,
        name,
        category,
        temperature,
        shelf_life_days,
    )?;
    if category.needs_approval() {
        crate::Pallet::<T>::approve_product(regulator, product, licence(&product))?;
    }
    Ok(())
}

/// The one-line product setup of the domain pallets' tests: as the regulators would, governance (`regulator`,
/// a Governance account, threshold 1) records the GTIN's company prefix for `owner`'s organisation
/// (`yima_membership::testing::record_gtin`), then [`register_approved`].
pub fn register_as_holder<T: crate::Config + yima_membership::Config>(
    owner: &Origin,
    regulator: &Origin,
    product: ProductId,
    name: Vec<u8>,
    category: Category,
    temperature: Option<TemperatureRange>,
    shelf_life_days: u32,
) -> DispatchResult {
    if let ProductId::Gtin(gtin) = &product {
        let org = owner.ensure_signed()?.org;
        yima_membership::testing::record_gtin::<T>(regulator, org, gtin)?;
    }
    register_approved::<T>(
        owner,
        regulator,
        product,
        name,
        category,
        temperature,
        shelf_life_days,
    )
}

/// Item `serial` of `gtin`.
pub fn sgtin(gtin: Gtin, serial: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin,
        serial: SerialNumber::parse(serial).expect("valid serial"),
    }
}

/// Logistic unit `n`: an SSCC with extension digit 1 and company prefix 0614141.
pub fn sscc(n: u32) -> TraceCode {
    let body = format!("10614141{n:09}");
    let check = gs1_check_digit(body.as_bytes());
    TraceCode::Sscc(Sscc::parse(&format!("{body}{check}")).expect("valid SSCC"))
}

/// Lot `lot` of `product`.
pub fn lot_key(product: ProductId, lot: &str) -> LotKey {
    LotKey {
        product,
        lot: LotNumber::parse(lot).expect("valid lot number"),
    }
}

/// `event` carrying the lot master data of `lot` (produced at `production_date`, expiring at `expiry`).
pub fn in_lot(
    mut event: EpcisEvent,
    lot: LotKey,
    production_date: Moment,
    expiry: Moment,
) -> EpcisEvent {
    event.ilmd = Some(Ilmd {
        lot,
        production_date,
        expiry,
    });
    event
}

/// A plain object event (no quantities) at `at`.
pub fn object(at: Moment, action: Action, epcs: Vec<TraceCode>, step: BizStep) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Object {
            action,
            epcs,
            quantities: vec![],
        },
        at,
        CST_MINUTES,
        step,
    )
}

/// A shipment of `codes` to `to` at `at`.
pub fn shipping(at: Moment, codes: Vec<TraceCode>, to: OrgId) -> EpcisEvent {
    let mut e = object(at, Action::Observe, codes, BizStep::Shipping);
    e.destination = Some(to);
    e
}

/// A receipt of `codes` at `at`.
pub fn receiving(at: Moment, codes: Vec<TraceCode>) -> EpcisEvent {
    object(at, Action::Observe, codes, BizStep::Receiving)
}

/// A retail sale of `codes` at `at`.
pub fn selling(at: Moment, codes: Vec<TraceCode>) -> EpcisEvent {
    object(at, Action::Observe, codes, BizStep::RetailSelling)
}

/// Packing `children` into `parent` at `at`.
pub fn packing(at: Moment, parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Aggregation {
            action: Action::Add,
            parent,
            children,
        },
        at,
        CST_MINUTES,
        BizStep::Packing,
    )
}

/// Unpacking `children` (all, when empty) from `parent` at `at`.
pub fn unpacking(at: Moment, parent: TraceCode, children: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Aggregation {
            action: Action::Delete,
            parent,
            children,
        },
        at,
        CST_MINUTES,
        BizStep::Unpacking,
    )
}

/// A transformation of `inputs` into `outputs` at `at` (no lot data: see [`in_lot`]).
pub fn transforming(at: Moment, inputs: Vec<TraceCode>, outputs: Vec<TraceCode>) -> EpcisEvent {
    EpcisEvent::new(
        EventBody::Transformation { inputs, outputs },
        at,
        CST_MINUTES,
        BizStep::Transforming,
    )
}

/// The mock runtime of a domain pallet: `Test` with system (0), membership (1), trace (2, gated by the pallet),
/// attestation (3, no subject registry) and the pallet itself as `$pallet = $index`, whose `Config` takes the
/// attestation pallet as `Attestations`; the aliases `System`, `Membership`, `Trace`, `Attestation` and
/// `$pallet`; and the helpers every such mock uses:
///
/// - `domain_test_ext(membership, now)`: test externalities with the system, trace and attestation (shipped
///   schemas) genesis and `membership`, at block 1 at time `now`;
/// - `advance_to(now)`: starts the next block at time `now`;
/// - `origin(name)`: the signed origin of the named test account
///   ([`test_account`](yima_frame::testing::test_account)), resolved as the executive does.
///
/// The calling crate depends on `yima-frame`, `yima-system`, `yima-membership` and `yima-attestation`.
// `crate::` in the expansion is the calling pallet, on purpose.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! domain_test_runtime {
    ($pallet:ident = $index:literal) => {
        /// The test runtime.
        pub(crate) struct Test;

        yima_frame::runtime_event! {
            /// The test runtime's events.
            pub(crate) enum RuntimeEvent {
                System(yima_system::Event) = 0,
                Membership(yima_membership::Event) = 1,
                Trace($crate::Event) = 2,
                Attestation(yima_attestation::Event) = 3,
                $pallet(crate::Event) = $index,
            }
        }

        impl yima_system::Config for Test {
            type RuntimeEvent = RuntimeEvent;
        }
        impl yima_membership::Config for Test {
            type Dispatch = ();
        }
        impl $crate::Config for Test {
            type Membership = yima_membership::Pallet<Test>;
            type Gate = crate::Pallet<Test>;
        }
        impl yima_attestation::Config for Test {
            type Membership = yima_membership::Pallet<Test>;
            type Subjects = ();
            type Watch = ();
        }
        impl crate::Config for Test {
            type Attestations = yima_attestation::Pallet<Test>;
        }

        pub(crate) type System = yima_system::Pallet<Test>;
        pub(crate) type Membership = yima_membership::Pallet<Test>;
        pub(crate) type Trace = $crate::Pallet<Test>;
        pub(crate) type Attestation = yima_attestation::Pallet<Test>;
        pub(crate) type $pallet = crate::Pallet<Test>;

        /// Test externalities at block 1, time `now`, with the system, trace and attestation genesis (the shipped
        /// schemas) and `membership`.
        pub(crate) fn domain_test_ext(
            membership: yima_membership::GenesisConfig,
            now: yima_frame::Moment,
        ) -> yima_frame::testing::TestExternalities {
            use yima_frame::GenesisBuild;
            let mut ext = yima_frame::testing::TestExternalities::from_genesis(|| {
                yima_system::GenesisConfig::default().build().unwrap();
                membership.build().unwrap();
                $crate::GenesisConfig::default().build().unwrap();
                yima_attestation::GenesisConfig::default().build().unwrap();
            });
            ext.execute_with(|| System::initialize(1, yima_frame::Hash::default(), now));
            ext
        }

        /// Starts the next block at time `now`.
        pub(crate) fn advance_to(now: yima_frame::Moment) {
            System::initialize(System::block_number() + 1, yima_frame::Hash::default(), now);
        }

        /// The signed origin of the named test account, resolved as the executive does.
        pub(crate) fn origin(name: &str) -> yima_frame::Origin {
            let account = yima_frame::testing::test_account(name);
            yima_frame::Origin::Signed(
                Membership::resolve_signer(&account).expect("test account is a member"),
            )
        }
    };
}
