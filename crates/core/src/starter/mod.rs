//! Starter content offered on a new workspace. Written in our own words for a small SaaS
//! company; the user decides whether to add it.

pub mod controls;
pub mod policies;
pub mod policy_texts;
pub mod risks;
