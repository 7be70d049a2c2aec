//! Gateway shards: which servers a bot process is responsible for.
//!
//! Discord splits a bot's servers over `total` gateway connections (shards) and sends a
//! server's events to shard `(server_id >> 22) % total`. A process that runs shards
//! `first..=last` of `total` hears only those servers' interactions, so it also schedules
//! only their posts; another process runs the other shards against the same database.

use std::fmt;
use std::str::FromStr;

/// What `discord.shards` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardPlan {
    /// Discord's recommended count (from `GET /gateway/bot`), all in this process.
    Auto,
    /// Only these shards in this process; other processes run the rest.
    Range(ShardRange),
}

/// Shards `first..=last` of `total`, as a process runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
    total: u32,
}

/// Why a `discord.shards` value was refused, in words for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShardPlanError(String);

impl ShardRange {
    /// `first..=last` of `total`; refused unless `first <= last < total`.
    pub fn new(first: u32, last: u32, total: u32) -> Result<ShardRange, ShardPlanError> {
        if total == 0 {
            return Err(ShardPlanError(
                "the total number of shards must be at least 1".into(),
            ));
        }
        if first > last {
            return Err(ShardPlanError(format!(
                "the first shard ({first}) comes after the last ({last})"
            )));
        }
        if last >= total {
            return Err(ShardPlanError(format!(
                "shard ids run from 0 to {} when there are {total} shards, so {last} does not exist",
                total - 1
            )));
        }
        Ok(ShardRange { first, last, total })
    }

    /// Every shard of `total` in one process (what "auto" becomes once the count is known).
    pub fn all(total: u32) -> Result<ShardRange, ShardPlanError> {
        ShardRange::new(0, total.saturating_sub(1), total)
    }

    pub fn first(&self) -> u32 {
        self.first
    }

    pub fn last(&self) -> u32 {
        self.last
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// The shard ids this process runs.
    pub fn ids(&self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }

    /// Whether this process runs the shard Discord routes `server_id`'s events to.
    pub fn owns(&self, server_id: u64) -> bool {
        let shard = shard_of(server_id, self.total);
        (self.first..=self.last).contains(&shard)
    }
}

/// The shard Discord sends a server's events to: the server id's timestamp bits (a snowflake
/// keeps 22 bits of worker, process and sequence below them) modulo the shard count.
pub fn shard_of(server_id: u64, total: u32) -> u32 {
    // `total` is at least 1 in every ShardRange; a 0 here would be a bug, not input.
    ((server_id >> 22) % u64::from(total.max(1))) as u32
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}/{}", self.first, self.last, self.total)
    }
}

impl FromStr for ShardPlan {
    type Err = ShardPlanError;

    /// `"auto"` or `"FIRST-LAST/TOTAL"` (a single shard may be written `"N/TOTAL"`).
    fn from_str(raw: &str) -> Result<ShardPlan, ShardPlanError> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("auto") {
            return Ok(ShardPlan::Auto);
        }
        raw.parse().map(ShardPlan::Range)
    }
}

impl FromStr for ShardRange {
    type Err = ShardPlanError;

    fn from_str(raw: &str) -> Result<ShardRange, ShardPlanError> {
        let shape = || {
            ShardPlanError(format!(
                "\"{raw}\" is neither \"auto\" nor a range like \"0-1/4\" (FIRST-LAST/TOTAL)"
            ))
        };
        let (range, total) = raw.trim().split_once('/').ok_or_else(shape)?;
        let (first, last) = range.split_once('-').unwrap_or((range, range));
        let number = |text: &str| text.trim().parse::<u32>().map_err(|_| shape());
        ShardRange::new(number(first)?, number(last)?, number(total)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_and_ranges_parse() {
        assert_eq!("auto".parse(), Ok(ShardPlan::Auto));
        assert_eq!(
            " 0-0/2 ".parse(),
            Ok(ShardPlan::Range(ShardRange::new(0, 0, 2).unwrap()))
        );
        assert_eq!(
            "2-5/8".parse::<ShardPlan>(),
            Ok(ShardPlan::Range(ShardRange::new(2, 5, 8).unwrap()))
        );
        assert_eq!(
            "3/4".parse::<ShardPlan>(),
            Ok(ShardPlan::Range(ShardRange::new(3, 3, 4).unwrap()))
        );
    }

    #[test]
    fn ranges_outside_the_total_or_backwards_or_malformed_are_refused() {
        for bad in [
            "0-2/2", "1-0/2", "0-0/0", "many", "", "-1-0/2", "0-1/x", "a-b/c", "0-1",
        ] {
            assert!(bad.parse::<ShardPlan>().is_err(), "{bad:?} was accepted");
        }
        let why = "4-4/4".parse::<ShardPlan>().unwrap_err().to_string();
        assert!(why.contains("0 to 3"), "{why}");
    }

    #[test]
    fn a_server_belongs_to_the_shard_discord_routes_it_to() {
        // (197038439483310086 >> 22) = 46977624770, and 46977624770 % 1000 = 770.
        let server = 197_038_439_483_310_086;
        assert_eq!(shard_of(server, 1000), 770);
        assert!(ShardRange::new(770, 770, 1000).unwrap().owns(server));
        assert!(!ShardRange::new(0, 769, 1000).unwrap().owns(server));
        assert!(ShardRange::new(700, 800, 1000).unwrap().owns(server));
    }

    #[test]
    fn two_halves_own_every_server_exactly_once() {
        let low = ShardRange::new(0, 0, 2).unwrap();
        let high = ShardRange::new(1, 1, 2).unwrap();
        for step in 0..1000u64 {
            let server = 1_200_000_000_000_000_000 + step * 4_194_304 + step;
            assert!(low.owns(server) != high.owns(server), "server {server}");
        }
    }

    #[test]
    fn one_shard_owns_everything() {
        let all = ShardRange::all(1).unwrap();
        assert!(all.owns(0) && all.owns(u64::MAX));
        assert_eq!(all.to_string(), "0-0/1");
    }
}
