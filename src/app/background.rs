//! The work the app does on its own, beside interactions: the scheduler loop, and the loop
//! that keeps each open post's public answer count up to date without editing it per click.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{watch, Notify};

use super::poster::Poster;
use super::{scheduler, App};

/// How often the scheduler looks for due posts when nothing wakes it earlier: posts are
/// made within a minute of their time.
pub const SCHEDULER_PERIOD: Duration = Duration::from_secs(60);
/// Public answer counts are edited at most this often per post, counted from the end of the
/// previous edit: frequent enough to feel alive, rare enough to stay far below Discord's
/// rate limits on a busy morning.
pub const COUNT_REFRESH: Duration = Duration::from_secs(5);

/// Timing knobs; tests shorten them, production uses the defaults.
#[derive(Debug, Clone, Copy)]
pub struct BackgroundTiming {
    pub scheduler_period: Duration,
    pub count_refresh: Duration,
}

impl Default for BackgroundTiming {
    fn default() -> BackgroundTiming {
        BackgroundTiming {
            scheduler_period: SCHEDULER_PERIOD,
            count_refresh: COUNT_REFRESH,
        }
    }
}

/// What interactions tell the background work.
#[derive(Default)]
pub(super) struct Signals {
    /// Servers whose moderators asked for `/studybot post-now`; the scheduler drains it.
    post_now: Mutex<HashSet<u64>>,
    /// Wakes the scheduler early (post-now, setup, pause).
    wake: Notify,
    /// Posts whose public answer count is out of date.
    dirty_posts: Mutex<HashSet<i64>>,
    /// When each post's count edit last finished, so edits keep their distance.
    last_count_edit: Mutex<HashMap<i64, Instant>>,
}

impl Signals {
    pub(super) fn request_post_now(&self, server_id: u64) {
        lock(&self.post_now).insert(server_id);
        self.wake.notify_one();
    }

    pub(super) fn take_post_now_requests(&self) -> HashSet<u64> {
        std::mem::take(&mut *lock(&self.post_now))
    }

    pub(super) fn wake_scheduler(&self) {
        self.wake.notify_one();
    }

    pub(super) fn answer_recorded(&self, post_id: i64) {
        lock(&self.dirty_posts).insert(post_id);
    }
}

/// A poisoned lock only means another task panicked while holding it; the sets inside are
/// still consistent (every update is a single insert or take), so carry on with them.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) async fn run<P: Poster>(
    app: &App,
    poster: &P,
    timing: BackgroundTiming,
    shutdown: impl Future<Output = ()>,
) {
    // Shutdown is noticed between passes, never in the middle of one: a post being sent is
    // recorded before the loop stops (a resend after a restart would be safe, thanks to the
    // nonce, but needless).
    let (stop, stopping) = watch::channel(false);
    let signal = async {
        shutdown.await;
        stop.send_replace(true);
    };
    let scheduler_loop = async {
        let mut stopping = stopping.clone();
        loop {
            let report = scheduler::tick(app, poster).await;
            if report != scheduler::TickReport::default() {
                tracing::info!(?report, "scheduler tick");
            }
            tokio::select! {
                () = tokio::time::sleep(timing.scheduler_period) => {}
                () = app.signals.wake.notified() => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
        }
    };
    let count_loop = async {
        let mut stopping = stopping.clone();
        // Checked a few times per refresh period, so a post becomes eligible for its next
        // edit soon after its quiet time is over.
        let mut interval = tokio::time::interval(timing.count_refresh / 4);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
            refresh_counts(app, poster, timing.count_refresh).await;
        }
    };
    tokio::join!(signal, scheduler_loop, count_loop);
}

/// Edits the answer count of every dirty post whose last edit finished at least `gap` ago;
/// the others stay dirty for a later pass.
pub(super) async fn refresh_counts<P: Poster>(app: &App, poster: &P, gap: Duration) {
    let due: Vec<i64> = {
        let mut dirty = lock(&app.signals.dirty_posts);
        let mut last = lock(&app.signals.last_count_edit);
        // Only recent edits matter; forgetting older ones keeps the map small.
        last.retain(|_, at| at.elapsed() < gap);
        let due: Vec<i64> = dirty
            .iter()
            .copied()
            .filter(|post| !last.contains_key(post))
            .collect();
        for post in &due {
            dirty.remove(post);
        }
        due
    };
    for post_id in due {
        match scheduler::refresh_answer_count(app, poster, post_id).await {
            Ok(true) => {
                lock(&app.signals.last_count_edit).insert(post_id, Instant::now());
            }
            Ok(false) => {}
            Err(error) => {
                // A failed edit (Discord down, rate limited) is tried again, but only after
                // the same quiet time as a successful one, so retries never crowd Discord.
                lock(&app.signals.last_count_edit).insert(post_id, Instant::now());
                lock(&app.signals.dirty_posts).insert(post_id);
                tracing::warn!(post_id, error = %format!("{error:#}"), "could not refresh the answer count");
            }
        }
    }
}
