//! Applying a captured EPCIS event list: the custody rules of DOMAIN.md §3.
//!
//! A list is all-or-nothing (it runs in one storage transaction). Events apply in order, so one list may
//! commission codes, pack them and ship the pallet.
//!
//! Events on codes the signer's organisation does not hold (it is not their effective custodian; the named
//! destination of a code in transit only receives it) are refused with [`Error::NotHolder`] except where the
//! domain allows them: an inspection (`inspecting`) by an inspection body, regulator or customs — keyed on the
//! kind of organisation, not on the `Inspector` role —, and a transaction event that names the signer's own
//! organisation as its source or destination. A reading is the holder's excursion only when the holder or an
//! official inspector measured it ([`crate::readings`]).

use std::collections::BTreeSet;

use yima_codes::TraceCode;
use yima_frame::externalities::transactional;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, Moment, OrgId, Origin, Role, Signer};
use yima_membership::{MembershipInspect, OrgKind};

use crate::custody::{self, ensure_movable, MAX_NESTING};
use crate::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd, Location, MAX_ID_BYTES};
use crate::gate::{CaptureGate, GateContext};
use crate::history::HistorySummary;
pub use crate::readings::to_centi_celsius;
use crate::types::{CodeState, CodeStatus, Lot};
use crate::{Codes, Config, Contents, Error, Event, Lots, Pallet, Products};

/// Who is capturing, and when.
pub(crate) struct Ctx<'a> {
    pub(crate) signer: &'a Signer,
    pub(crate) org: OrgId,
    pub(crate) now: Moment,
    block: u64,
    /// The pallet recording on the signer's behalf, if any (see [`crate::gate`]).
    via: Option<&'static str>,
}

impl<T: Config> Pallet<T> {
    /// Records an EPCIS event list for the signer's organisation (an Operator; an Inspector may record
    /// inspections). All or nothing.
    pub fn capture(origin: &Origin, events: Vec<EpcisEvent>) -> DispatchResult {
        Self::apply_events(origin, events, None)
    }

    /// Records an EPCIS event list for the signer's organisation on behalf of the pallet `via` (the cold-chain
    /// pallet's carrier hop, the vaccine pallet's administration …): the same rules and gates as
    /// [`Self::capture`], and the events land in the trace like any other. All or nothing.
    pub fn record(origin: &Origin, events: Vec<EpcisEvent>, via: &'static str) -> DispatchResult {
        Self::apply_events(origin, events, Some(via))
    }

    fn apply_events(
        origin: &Origin,
        events: Vec<EpcisEvent>,
        via: Option<&'static str>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let limits = Self::limits();
        if events.is_empty() || events.len() > limits.max_events_per_call as usize {
            return Err(Error::EventListTooLarge.into());
        }
        let ctx = Ctx {
            signer,
            org: signer.org,
            now: yima_system::Pallet::<T>::now(),
            block: yima_system::Pallet::<T>::block_number(),
            via,
        };
        transactional(|| {
            for (index, event) in events.into_iter().enumerate() {
                Self::apply_event(&ctx, index as u32, event)?;
            }
            Ok(())
        })
    }

    fn apply_event(ctx: &Ctx<'_>, index: u32, event: EpcisEvent) -> DispatchResult {
        Self::check_shape(ctx, &event)?;
        T::Gate::check(&GateContext::new(ctx.org, index, &event, ctx.via))?;
        match (&event.body, event.biz_step) {
            (
                EventBody::Object {
                    action: Action::Add,
                    epcs,
                    ..
                },
                BizStep::Commissioning,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::commission(ctx, epcs, event.ilmd.as_ref(), event.biz_location.as_ref())?;
            }
            (
                EventBody::Object {
                    action: Action::Observe | Action::Delete,
                    epcs,
                    ..
                },
                BizStep::Shipping,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::ship(ctx, epcs, event.destination)?;
            }
            (
                EventBody::Object {
                    action: Action::Observe | Action::Add,
                    epcs,
                    ..
                },
                BizStep::Receiving,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::receive(ctx, epcs, event.biz_location.as_ref())?;
            }
            (
                EventBody::Object {
                    action: Action::Observe | Action::Delete,
                    epcs,
                    ..
                },
                step,
            ) if finishing_status(step).is_some() => {
                ctx.signer.ensure_role(Role::Operator)?;
                let status = finishing_status(step).expect("guarded");
                Self::finish(ctx, epcs, status)?;
            }
            (
                EventBody::Object {
                    action: Action::Observe,
                    epcs,
                    ..
                },
                BizStep::Storing | BizStep::Inspecting | BizStep::Other,
            ) => Self::observe(ctx, epcs, event.biz_step, event.biz_location.as_ref())?,
            (
                EventBody::Aggregation {
                    action: Action::Add,
                    parent,
                    children,
                },
                BizStep::Packing | BizStep::Other,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::pack(ctx, parent, children)?;
            }
            (
                EventBody::Aggregation {
                    action: Action::Delete,
                    parent,
                    children,
                },
                BizStep::Unpacking | BizStep::Other,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::unpack(ctx, parent, children)?;
            }
            (
                EventBody::Aggregation {
                    action: Action::Observe,
                    parent,
                    children,
                },
                step,
            ) => {
                let official = Self::official_inspection(ctx, step);
                if !official {
                    ctx.signer.ensure_role(Role::Operator)?;
                }
                let codes = || std::iter::once(parent).chain(children.iter());
                Self::ensure_exist(codes())?;
                if !official {
                    Self::ensure_held(ctx, codes())?;
                }
            }
            (
                EventBody::Transformation { inputs, outputs },
                BizStep::Transforming | BizStep::Commissioning,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                Self::transform(
                    ctx,
                    inputs,
                    outputs,
                    event.ilmd.as_ref(),
                    event.biz_location.as_ref(),
                )?;
            }
            (
                EventBody::Transaction {
                    biz_transactions,
                    epcs,
                    ..
                },
                _,
            ) => {
                ctx.signer.ensure_role(Role::Operator)?;
                if biz_transactions.is_empty() {
                    return Err(Error::NoBizTransaction.into());
                }
                Self::ensure_exist(epcs.iter())?;
                // A party to the transaction links the goods to its documents whoever holds them.
                let party = event.source == Some(ctx.org) || event.destination == Some(ctx.org);
                if !party {
                    Self::ensure_held(ctx, epcs.iter())?;
                }
            }
            _ => return Err(Error::StepMismatch.into()),
        }
        if let EventBody::Object { quantities, .. } = &event.body {
            if quantities.iter().any(|q| !Lots::contains_key(&q.lot)) {
                return Err(Error::UnknownLot.into());
            }
        }
        Self::check_temperature(ctx, index, &event);
        Self::extend_histories(ctx.block, ctx.org, &event)?;
        Self::deposit_event(Event::Captured {
            org: ctx.org,
            index,
            event,
        });
        Ok(())
    }

    /// Checks that need no state: time, ids, sensors, code counts, duplicates.
    fn check_shape(ctx: &Ctx<'_>, event: &EpcisEvent) -> DispatchResult {
        let limits = Self::limits();
        if event.event_time > ctx.now.saturating_add(limits.max_clock_skew_ms) {
            return Err(Error::EventInFuture.into());
        }
        if !(-720..=840).contains(&event.time_zone_offset_minutes) {
            return Err(Error::InvalidTimeZone.into());
        }
        for location in [&event.read_point, &event.biz_location]
            .into_iter()
            .flatten()
        {
            if let Location::Other(id) = location {
                if id.is_empty() || id.len() > MAX_ID_BYTES {
                    return Err(Error::IdTooLong.into());
                }
            }
        }
        for report in &event.sensors {
            crate::readings::check_sensor(report)?;
        }
        let codes = event.codes();
        let quantities = match &event.body {
            EventBody::Object { quantities, .. } => quantities.len(),
            _ => 0,
        };
        let named = codes.len() + quantities;
        if named == 0
            && !matches!(
                event.body,
                EventBody::Aggregation {
                    action: Action::Delete,
                    ..
                }
            )
        {
            return Err(Error::TooManyCodes.into());
        }
        if named > limits.max_codes_per_event as usize {
            return Err(Error::TooManyCodes.into());
        }
        if let EventBody::Aggregation {
            parent, children, ..
        } = &event.body
        {
            if children.contains(parent) {
                return Err(Error::PackIntoItself.into());
            }
        }
        let mut seen = BTreeSet::new();
        if !codes.iter().all(|c| seen.insert(*c)) {
            return Err(Error::DuplicateCode.into());
        }
        Ok(())
    }

    fn ensure_exist<'a>(codes: impl Iterator<Item = &'a TraceCode>) -> DispatchResult {
        for code in codes {
            if !Codes::contains_key(code) {
                return Err(Error::UnknownCode.into());
            }
        }
        Ok(())
    }

    fn org_kind(org: OrgId) -> Option<OrgKind> {
        <T::Membership as MembershipInspect>::org_kind(org)
    }

    /// Whether `org` inspects officially: an inspection body, a regulator or customs. Keyed on the kind of
    /// organisation, not on the `Inspector` role, which an enterprise keeps for the attestations it issues.
    pub(crate) fn is_official(org: OrgId) -> bool {
        matches!(
            Self::org_kind(org),
            Some(OrgKind::InspectionBody | OrgKind::Regulator | OrgKind::Customs)
        )
    }

    /// Whether the event is an official inspection: `inspecting`, recorded by an Inspector or Operator of an
    /// inspection body, regulator or customs. It may name codes the organisation does not hold.
    fn official_inspection(ctx: &Ctx<'_>, step: BizStep) -> bool {
        step == BizStep::Inspecting
            && (ctx.signer.roles.contains(Role::Inspector)
                || ctx.signer.roles.contains(Role::Operator))
            && Self::is_official(ctx.org)
    }

    /// Refuses codes whose effective custodian (through their containers) is not the signer's organisation.
    fn ensure_held<'a>(
        ctx: &Ctx<'_>,
        codes: impl Iterator<Item = &'a TraceCode>,
    ) -> DispatchResult {
        for code in codes {
            if custody::custody(code, ctx.now)?.custodian != ctx.org {
                return Err(Error::NotHolder.into());
            }
        }
        Ok(())
    }

    /// New codes: each unknown so far; item codes in the event's lot (created on first use).
    fn commission(
        ctx: &Ctx<'_>,
        codes: &[TraceCode],
        ilmd: Option<&Ilmd>,
        location: Option<&Location>,
    ) -> DispatchResult {
        let needs_lot = codes.iter().any(|c| !matches!(c, TraceCode::Sscc(_)));
        let lot = match (needs_lot, ilmd) {
            (true, None) => return Err(Error::MissingLotData.into()),
            (true, Some(ilmd)) => Some(Self::open_lot(ctx, codes, ilmd)?),
            (false, _) => None,
        };
        for code in codes {
            if Codes::contains_key(code) {
                return Err(Error::CodeExists.into());
            }
        }
        if let (Some(ilmd), Some(mut lot)) = (ilmd, lot) {
            let items = codes
                .iter()
                .filter(|c| !matches!(c, TraceCode::Sscc(_)))
                .count() as u32;
            lot.commissioned = lot.commissioned.saturating_add(items);
            Lots::insert(&ilmd.lot, &lot);
        }
        for code in codes {
            let lot = match code {
                TraceCode::Sscc(_) => None,
                _ => ilmd.map(|i| i.lot.clone()),
            };
            Codes::insert(
                code,
                &CodeState {
                    lot,
                    custodian: ctx.org,
                    location: location.cloned(),
                    parent: None,
                    status: CodeStatus::Active,
                    children: 0,
                    band: None,
                    flags: 0,
                    commissioned_at: ctx.block,
                    history: HistorySummary::default(),
                },
            );
        }
        Ok(())
    }

    /// The lot codes are commissioned into: an existing one must agree with `ilmd` and belong to the signer's
    /// organisation (a supervised warehouse may issue cold-chain codes into an importer's lot); a new one needs
    /// the signer's organisation to own the product.
    fn open_lot(ctx: &Ctx<'_>, codes: &[TraceCode], ilmd: &Ilmd) -> Result<Lot, Error> {
        if ilmd.expiry <= ilmd.production_date {
            return Err(Error::LotMismatch);
        }
        if ilmd.expiry <= ctx.now {
            return Err(Error::Expired);
        }
        let product = Products::get(&ilmd.lot.product).ok_or(Error::UnknownProduct)?;
        if product.is_pending() {
            return Err(Error::ProductNotApproved);
        }
        for code in codes {
            if let Some(p) = code.product() {
                if p != ilmd.lot.product {
                    return Err(Error::ProductMismatch);
                }
            }
        }
        match Lots::get(&ilmd.lot) {
            Some(lot) => {
                if lot.expiry != ilmd.expiry || lot.production_date != ilmd.production_date {
                    return Err(Error::LotMismatch);
                }
                if lot.recalled.is_some() {
                    return Err(Error::Recalled);
                }
                if lot.disposed.is_some() {
                    return Err(Error::Finished);
                }
                let warehouse_issuing = codes.iter().all(|c| matches!(c, TraceCode::ColdChain(_)))
                    && Self::org_kind(ctx.org) == Some(OrgKind::SupervisedWarehouse);
                if lot.owner != ctx.org && !warehouse_issuing {
                    return Err(Error::NotOwner);
                }
                Ok(lot)
            }
            None => {
                if product.owner != ctx.org {
                    return Err(Error::NotOwner);
                }
                Ok(Lot {
                    owner: ctx.org,
                    production_date: ilmd.production_date,
                    expiry: ilmd.expiry,
                    commissioned: 0,
                    recalled: None,
                    disposed: None,
                })
            }
        }
    }

    /// A top-level code the signer's organisation holds and may move.
    fn held_top_level(ctx: &Ctx<'_>, code: &TraceCode) -> Result<CodeState, Error> {
        let (state, ancestors) = custody::chain(code)?;
        if state.parent.is_some() {
            return Err(Error::InsideContainer);
        }
        let c = custody::resolve(code, &state, &ancestors, ctx.now);
        if c.custodian != ctx.org {
            return Err(Error::NotCustodian);
        }
        ensure_movable(&c)?;
        Ok(state)
    }

    fn ship(ctx: &Ctx<'_>, codes: &[TraceCode], destination: Option<OrgId>) -> DispatchResult {
        let to = destination.ok_or(Error::InvalidDestination)?;
        if to == ctx.org || !<T::Membership as MembershipInspect>::org_is_active(to) {
            return Err(Error::InvalidDestination.into());
        }
        let mut states = Vec::with_capacity(codes.len());
        for code in codes {
            states.push(Self::held_top_level(ctx, code)?);
            custody::ensure_contents_movable(code, ctx.now)?;
        }
        for (code, mut state) in codes.iter().zip(states) {
            state.status = CodeStatus::InTransit { to };
            Codes::insert(code, &state);
        }
        Ok(())
    }

    fn receive(ctx: &Ctx<'_>, codes: &[TraceCode], location: Option<&Location>) -> DispatchResult {
        let mut states = Vec::with_capacity(codes.len());
        for code in codes {
            let state = Codes::get(code).ok_or(Error::UnknownCode)?;
            if state.parent.is_some() {
                return Err(Error::InsideContainer.into());
            }
            match state.status {
                // Recalled or expired goods may still be received, so the recall knows who holds them.
                CodeStatus::InTransit { to } if to == ctx.org => {}
                CodeStatus::InTransit { .. } => return Err(Error::NotDestination.into()),
                CodeStatus::Active => return Err(Error::ReceiveWithoutShipment.into()),
                _ => return Err(Error::Finished.into()),
            }
            states.push(state);
        }
        for (code, mut state) in codes.iter().zip(states) {
            state.status = CodeStatus::Active;
            state.custodian = ctx.org;
            state.location = location.cloned();
            Codes::insert(code, &state);
        }
        Ok(())
    }

    /// Ends codes' lives (sold, dispensed, administered, destroyed). Recalled or expired goods may only be
    /// destroyed.
    fn finish(ctx: &Ctx<'_>, codes: &[TraceCode], status: CodeStatus) -> DispatchResult {
        let mut states = Vec::with_capacity(codes.len());
        for code in codes {
            let (state, ancestors) = custody::chain(code)?;
            if state.parent.is_some() {
                return Err(Error::InsideContainer.into());
            }
            let c = custody::resolve(code, &state, &ancestors, ctx.now);
            if c.custodian != ctx.org {
                return Err(Error::NotCustodian.into());
            }
            let destroying = status == CodeStatus::Destroyed;
            match c.status {
                s if s.is_finished() => return Err(Error::Finished.into()),
                CodeStatus::InTransit { .. } => return Err(Error::InTransit.into()),
                CodeStatus::Recalled if !destroying => return Err(Error::Recalled.into()),
                _ if c.expired && !destroying => return Err(Error::Expired.into()),
                _ => {}
            }
            if state.children > 0 {
                return Err(Error::NotEmpty.into());
            }
            states.push(state);
        }
        for (code, mut state) in codes.iter().zip(states) {
            state.status = status;
            Codes::insert(code, &state);
        }
        Ok(())
    }

    /// Storing, inspecting, other observations: the custodian may update the location (an Operator; its own
    /// Inspector may inspect what it holds); an official inspection ([`Self::official_inspection`]) may observe
    /// codes it does not hold. Nobody else records observations of others' codes.
    fn observe(
        ctx: &Ctx<'_>,
        codes: &[TraceCode],
        step: BizStep,
        location: Option<&Location>,
    ) -> DispatchResult {
        let inspecting = step == BizStep::Inspecting && ctx.signer.roles.contains(Role::Inspector);
        if !inspecting {
            ctx.signer.ensure_role(Role::Operator)?;
        }
        let official = Self::official_inspection(ctx, step);
        let mut updates = Vec::new();
        for code in codes {
            let c = custody::custody(code, ctx.now)?;
            if c.custodian == ctx.org {
                let state = Codes::get(code).ok_or(Error::UnknownCode)?;
                if state.parent.is_none() && location.is_some() && !state.status.is_finished() {
                    updates.push((code, state));
                }
            } else if step == BizStep::Inspecting && !official {
                return Err(Error::NotHolder.into());
            } else if !official {
                return Err(Error::NotCustodian.into());
            }
        }
        for (code, mut state) in updates {
            state.location = location.cloned();
            Codes::insert(code, &state);
        }
        Ok(())
    }

    fn pack(ctx: &Ctx<'_>, parent: &TraceCode, children: &[TraceCode]) -> DispatchResult {
        let (mut parent_state, ancestors) = custody::chain(parent)?;
        let c = custody::resolve(parent, &parent_state, &ancestors, ctx.now);
        if c.custodian != ctx.org {
            return Err(Error::NotCustodian.into());
        }
        ensure_movable(&c)?;
        let mut band = parent_state.band;
        let mut states = Vec::with_capacity(children.len());
        for child in children {
            if child == parent {
                return Err(Error::PackIntoItself.into());
            }
            if ancestors.iter().any(|(a, _)| a == child) {
                return Err(Error::PackIntoDescendant.into());
            }
            let state = Self::held_top_level(ctx, child).map_err(|e| match e {
                Error::InsideContainer => Error::AlreadyPacked,
                other => other,
            })?;
            // The child's contents move with it; its deepest content ends up below the parent's ancestors,
            // the parent, the child and the levels inside the child.
            let height = custody::ensure_contents_movable(child, ctx.now)?;
            if ancestors.len() + 2 + height > MAX_NESTING {
                return Err(Error::NestingTooDeep.into());
            }
            if let Some(child_band) = custody::band(&state) {
                band = Some(match band {
                    Some(b) => b.intersect(&child_band),
                    None => child_band,
                });
            }
            states.push(state);
        }
        for (child, mut state) in children.iter().zip(states) {
            state.parent = Some(*parent);
            Codes::insert(child, &state);
            Contents::insert(parent, child, &());
        }
        parent_state.children = parent_state.children.saturating_add(children.len() as u32);
        parent_state.band = band;
        Codes::insert(parent, &parent_state);
        // The containers around the parent hold the new children too.
        if let Some(band) = band {
            for (ancestor, mut state) in ancestors {
                let narrowed = state.band.map_or(band, |b| b.intersect(&band));
                if state.band != Some(narrowed) {
                    state.band = Some(narrowed);
                    Codes::insert(&ancestor, &state);
                }
            }
        }
        Ok(())
    }

    fn unpack(ctx: &Ctx<'_>, parent: &TraceCode, children: &[TraceCode]) -> DispatchResult {
        let (mut parent_state, ancestors) = custody::chain(parent)?;
        let c = custody::resolve(parent, &parent_state, &ancestors, ctx.now);
        if c.custodian != ctx.org {
            return Err(Error::NotCustodian.into());
        }
        if let CodeStatus::InTransit { .. } = c.status {
            return Err(Error::InTransit.into());
        }
        let children: Vec<TraceCode> = if children.is_empty() {
            Contents::iter_prefix(parent)
                .into_iter()
                .map(|(child, ())| child)
                .collect()
        } else {
            for child in children {
                if !Contents::contains_key(parent, child) {
                    return Err(Error::NotInside.into());
                }
            }
            children.to_vec()
        };
        let inherited = custody::inherited_flags(&parent_state, &ancestors);
        for child in &children {
            let mut state = Codes::get(child).ok_or(Error::UnknownCode)?;
            state.parent = None;
            state.custodian = c.custodian;
            state.location = c.location.clone();
            state.flags |= inherited;
            Codes::insert(child, &state);
            Contents::remove(parent, child);
        }
        parent_state.children = parent_state.children.saturating_sub(children.len() as u32);
        Codes::insert(parent, &parent_state);
        // What left no longer constrains the containers it was in: recompute their bands from what they still
        // hold, innermost first, so an emptied SSCC can be reused for goods of another temperature band.
        let mut containers = vec![*parent];
        containers.extend(ancestors.iter().map(|(code, _)| *code));
        for container in containers {
            let band = Contents::iter_prefix(&container)
                .into_iter()
                .filter_map(|(child, ())| Codes::get(&child).as_ref().and_then(custody::band))
                .reduce(|a, b| a.intersect(&b));
            Codes::mutate(&container, |state| {
                if let Some(state) = state {
                    state.band = band;
                }
            });
        }
        Ok(())
    }

    fn transform(
        ctx: &Ctx<'_>,
        inputs: &[TraceCode],
        outputs: &[TraceCode],
        ilmd: Option<&Ilmd>,
        location: Option<&Location>,
    ) -> DispatchResult {
        if inputs.is_empty() || outputs.is_empty() {
            return Err(Error::EmptyTransformation.into());
        }
        let mut states = Vec::with_capacity(inputs.len());
        for input in inputs {
            let state = Self::held_top_level(ctx, input)?;
            if state.children > 0 {
                return Err(Error::NotEmpty.into());
            }
            states.push(state);
        }
        for (input, mut state) in inputs.iter().zip(states) {
            state.status = CodeStatus::Consumed;
            Codes::insert(input, &state);
        }
        Self::commission(ctx, outputs, ilmd, location)
    }
}

/// The status a finishing business step leaves a code in.
fn finishing_status(step: BizStep) -> Option<CodeStatus> {
    match step {
        BizStep::RetailSelling => Some(CodeStatus::Sold),
        BizStep::Dispensing => Some(CodeStatus::Dispensed),
        BizStep::Administering => Some(CodeStatus::Administered),
        BizStep::Destroying => Some(CodeStatus::Destroyed),
        _ => None,
    }
}
