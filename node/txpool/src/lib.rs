//! The Yima node's transaction pool (work in progress).
