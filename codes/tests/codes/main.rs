//! Tests of `yima-codes`: one module per idea, plus property tests. One binary, to keep link time down.

mod ai_table;
mod attributes;
mod cold_chain;
mod cset82;
mod digital_link;
mod element_string;
mod gs1;
mod nmpa;
mod props;
mod props_ai;
mod scale_serde;
mod trace_code;
