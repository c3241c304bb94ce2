//! [`EpcisError`]: why a document or one of its events could not be imported, with the place to look.

use yima_codes::CodeError;

use crate::urn::UrnError;

/// A document that could not be read, or an event in it that could not become an on-chain event.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EpcisError {
    /// Not JSON.
    #[error("the file is not valid JSON (line {line}, column {column}): {message}; fix the syntax there")]
    Json {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// JSON, but no event list where EPCIS 2.0 puts it.
    #[error(
        "not an EPCIS 2.0 document: {0}; expected an EPCISDocument with epcisBody.eventList, an \
         EPCISQueryDocument with epcisBody.queryResults.resultsBody.eventList, or a JSON array of events"
    )]
    NotADocument(String),
    /// One event is wrong.
    #[error("event {index} (line {line}), field `{field}`: {problem}")]
    Event {
        /// Position of the event in the event list, from 0.
        index: usize,
        /// Line of the event's opening brace in the file, from 1.
        line: usize,
        /// The field, as a path inside the event (`epcList[2]`, `ilmd.cbvmda:itemExpirationDate`).
        field: String,
        /// What is wrong with it (boxed: it may carry a [`CodeError`]).
        problem: Box<Problem>,
    },
}

/// What is wrong with one field of one event.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The event's `type` is not one Yima records.
    #[error(
        "unknown event type `{0}`; Yima imports ObjectEvent, AggregationEvent, TransformationEvent and \
         TransactionEvent"
    )]
    UnknownEventType(String),
    /// A required field is absent.
    #[error("missing; {0}")]
    Missing(&'static str),
    /// The JSON type is wrong.
    #[error("expected {0}")]
    WrongType(&'static str),
    /// A vocabulary value that is no CBV 2.0 term.
    #[error("`{value}` is not a CBV 2.0 {vocabulary}; use a CBV word (e.g. `shipping`), its URI, or a private URI")]
    BadCbv {
        /// Which vocabulary.
        vocabulary: &'static str,
        /// The value read.
        value: String,
    },
    /// `action` is not ADD, OBSERVE or DELETE.
    #[error("`{0}` is not an action; use ADD, OBSERVE or DELETE")]
    BadAction(String),
    /// A date or time that does not parse.
    #[error("`{value}`: {reason}")]
    BadDate {
        /// The value read.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// An EPC or class that is no valid code.
    #[error("`{value}` is not a valid trace code: {source}")]
    BadCode {
        /// The value read.
        value: String,
        /// The rule it breaks.
        source: CodeError,
    },
    /// An EPC URI that does not convert.
    #[error("{0}")]
    BadUrn(#[from] UrnError),
    /// An id longer than the chain stores.
    #[error("`{value}` is {len} bytes; the chain stores ids of at most {max} bytes")]
    TooLong {
        /// The value read.
        value: String,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A source or destination the resolver does not know.
    #[error(
        "party `{0}` is not an organisation on chain; register it or map its id to an organisation"
    )]
    UnknownParty(String),
    /// A number that is not what the field needs.
    #[error("`{value}` is not {expected}")]
    BadNumber {
        /// The value read.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A certification reference that is not an attestation id.
    #[error("`{0}` is not an attestation id; use urn:yima:attestation:<64 hex digits> or the 64 hex digits")]
    BadAttestation(String),
    /// A standard field the on-chain event has no place for.
    #[error("not recorded on chain: {0}")]
    Unsupported(&'static str),
}
