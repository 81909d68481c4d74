//! A persistent worker pool with a low-latency hand-off for parallel regions of a few
//! microseconds (one matrix product of a decode step).
//!
//! [`Pool::run`] executes the `shares` calls `f(0) .. f(shares - 1)` of a region, each exactly
//! once, on the calling thread and on whichever workers join, and returns when all have
//! finished. Shares are *claimed* from an atomic counter: the caller claims shares too, so it
//! never waits for a worker that has not started (on a loaded machine a descheduled worker
//! costs a region nothing; it simply runs on the caller). Workers spin on an epoch counter for
//! a while after each region (a hand-off then costs well under a microsecond) and park on a
//! condition variable when no work comes (an idle engine burns no CPU). *Measured* with
//! rayon's `in_place_scope` on this 2-core machine: 12–20 µs per hand-off, more than a whole
//! SmolLM2 projection.
//!
//! Which thread computes a share never changes its bits: callers hand out independent outputs
//! (rows, heads) only, never parts of one reduction.
//!
//! Safety: `f` borrows the caller's stack, and the workers see it through a pointer whose
//! lifetime is erased. That is sound because a worker only obtains the pointer by joining the
//! region under the `task` lock (counted in `active`), the caller clears the pointer under the
//! same lock when its claims run out, and `run` does not return (nor unwind) before `active`
//! is zero: the wait sits in a guard's `Drop`, which also runs when a share panics on the
//! caller. A worker's panic is caught, carried back and resumed on the caller.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, TryLockError};
use std::thread::JoinHandle;

/// Spins (`spin_loop` hints) a worker waits for the next region before it parks: a few hundred
/// microseconds, longer than the gaps between the products of a decode step.
const SPINS_BEFORE_PARK: u32 = 1 << 13;

/// Spins the caller waits for joined workers to finish before it starts yielding its core
/// (they may have been descheduled on a loaded machine).
const SPINS_BEFORE_YIELD: u32 = 1 << 12;

/// The task of the current region, its lifetime erased (see the module's safety note).
#[derive(Clone, Copy)]
struct Region {
    f: *const (dyn Fn(usize) + Sync + 'static),
    shares: usize,
}

// SAFETY: the pointee is `Sync` (shared calls from several threads are allowed) and is only
// dereferenced by a worker counted in `active`, which the caller of `Pool::run` waits for.
#[allow(unsafe_code)]
unsafe impl Send for Region {}

struct Shared {
    /// Bumped once per region (and once at shutdown): the workers' wake-up signal.
    epoch: AtomicUsize,
    /// The next unclaimed share of the current region.
    next: AtomicUsize,
    /// Workers that joined the current region and have not left it.
    active: AtomicUsize,
    /// Workers parked on `wake` (or about to check `epoch` under `sleep`).
    sleepers: AtomicUsize,
    stop: AtomicBool,
    /// The current region; `None` between regions. Joining happens under this lock.
    task: Mutex<Option<Region>>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    sleep: Mutex<()>,
    wake: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic is always carried back to the caller, so a poisoned lock holds consistent data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Threads that run the shares of a parallel region.
pub(crate) struct Pool {
    shared: Arc<Shared>,
    threads: usize,
    /// Held for the length of a region: one region at a time; a second caller (another
    /// session on the same engine, or a nested region) runs its shares itself.
    region: Mutex<()>,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("threads", &self.threads)
            .finish()
    }
}

impl Pool {
    /// Starts `threads - 1` workers (the caller is the other thread).
    pub(crate) fn new(threads: usize) -> std::io::Result<Pool> {
        let shared = Arc::new(Shared {
            epoch: AtomicUsize::new(0),
            next: AtomicUsize::new(0),
            active: AtomicUsize::new(0),
            sleepers: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            task: Mutex::new(None),
            panic: Mutex::new(None),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
        });
        let mut pool = Pool {
            shared,
            threads: threads.max(1),
            region: Mutex::new(()),
            workers: Vec::new(),
        };
        for index in 1..pool.threads {
            let shared = Arc::clone(&pool.shared);
            let handle = std::thread::Builder::new()
                .name(format!("wicas-kernel-{index}"))
                .spawn(move || worker(&shared))?;
            pool.workers.push(handle);
        }
        Ok(pool)
    }

    /// Calls `f(i)` exactly once for every `i < shares`, on the calling thread and the workers,
    /// and returns when all calls have returned. If the pool is busy (a region of another
    /// caller, or a region started from inside `f`), every share runs on the calling thread.
    pub(crate) fn run(&self, shares: usize, f: &(dyn Fn(usize) + Sync)) {
        let _region = match self.region.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => {
                (0..shares).for_each(f);
                return;
            }
        };
        if self.threads == 1 || shares <= 1 {
            (0..shares).for_each(f);
            return;
        }
        let s = &*self.shared;
        #[allow(unsafe_code)]
        // SAFETY: only the lifetime bound of the trait object changes (same layout); the
        // `Wait` guard below clears the pointer and waits for every worker that saw it.
        let erased = unsafe {
            std::mem::transmute::<
                *const (dyn Fn(usize) + Sync + '_),
                *const (dyn Fn(usize) + Sync + 'static),
            >(f)
        };
        {
            let mut task = lock(&s.task);
            s.next.store(0, SeqCst);
            *task = Some(Region { f: erased, shares });
        }
        s.epoch.fetch_add(1, SeqCst);
        if s.sleepers.load(SeqCst) > 0 {
            let _g = lock(&s.sleep);
            s.wake.notify_all();
        }
        let wait = Wait(s);
        claim_all(s, shares, f);
        drop(wait);
        if let Some(payload) = lock(&s.panic).take() {
            resume_unwind(payload);
        }
    }
}

/// Runs shares claimed from `s.next` until none is left.
fn claim_all(s: &Shared, shares: usize, f: &(dyn Fn(usize) + Sync)) {
    loop {
        let i = s.next.fetch_add(1, SeqCst);
        if i >= shares {
            return;
        }
        f(i);
    }
}

/// Ends the current region: no worker may join any more, and every joined one has left.
/// Runs while unwinding too.
struct Wait<'a>(&'a Shared);

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        *lock(&self.0.task) = None;
        // No share may start after this (also when unwinding from a share on the caller).
        self.0.next.store(usize::MAX / 2, SeqCst);
        let mut spins = 0_u32;
        while self.0.active.load(SeqCst) != 0 {
            if spins < SPINS_BEFORE_YIELD {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let s = &*self.shared;
        s.stop.store(true, SeqCst);
        s.epoch.fetch_add(1, SeqCst);
        {
            let _g = lock(&s.sleep);
            s.wake.notify_all();
        }
        for w in self.workers.drain(..) {
            // A worker never panics outside a caught share; nothing to report if it did.
            let _ = w.join();
        }
    }
}

fn worker(s: &Shared) {
    let mut seen = 0_usize;
    loop {
        seen = next_epoch(s, seen);
        if s.stop.load(SeqCst) {
            return;
        }
        let joined = {
            let task = lock(&s.task);
            if task.is_some() {
                s.active.fetch_add(1, SeqCst);
            }
            *task
        };
        if let Some(Region { f, shares }) = joined {
            #[allow(unsafe_code)]
            // SAFETY: we joined while the region was open (counted in `active`); its caller
            // waits for `active` to reach zero before `f` goes out of scope.
            let f = unsafe { &*f };
            let result = catch_unwind(AssertUnwindSafe(|| claim_all(s, shares, f)));
            if let Err(payload) = result {
                *lock(&s.panic) = Some(payload);
                s.next.store(usize::MAX / 2, SeqCst);
            }
            s.active.fetch_sub(1, SeqCst);
        }
    }
}

/// Waits until the epoch differs from `seen`: spinning first, then parked.
fn next_epoch(s: &Shared, seen: usize) -> usize {
    for _ in 0..SPINS_BEFORE_PARK {
        let e = s.epoch.load(SeqCst);
        if e != seen {
            return e;
        }
        std::hint::spin_loop();
    }
    let mut g = lock(&s.sleep);
    s.sleepers.fetch_add(1, SeqCst);
    let mut e = s.epoch.load(SeqCst);
    while e == seen {
        g = s.wake.wait(g).unwrap_or_else(PoisonError::into_inner);
        e = s.epoch.load(SeqCst);
    }
    s.sleepers.fetch_sub(1, SeqCst);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn every_share_runs_exactly_once_per_region() {
        for threads in 1..=3 {
            let pool = Pool::new(threads).expect("threads");
            let hits: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
            for _ in 0..2000 {
                pool.run(threads, &|t| {
                    hits[t].fetch_add(1, SeqCst);
                });
            }
            assert!(hits.iter().all(|h| h.load(SeqCst) == 2000), "{threads}");
        }
    }

    #[test]
    fn parked_workers_wake_for_the_next_region() {
        let pool = Pool::new(2).expect("threads");
        let sum = AtomicU64::new(0);
        for round in 0..3 {
            // Long enough for the worker to stop spinning and park.
            std::thread::sleep(std::time::Duration::from_millis(20));
            pool.run(2, &|t| {
                sum.fetch_add(t as u64 + 1, SeqCst);
            });
            assert_eq!(sum.load(SeqCst), 3 * (round + 1));
        }
    }

    #[test]
    fn a_nested_region_runs_on_the_calling_thread() {
        let pool = Pool::new(2).expect("threads");
        let inner = AtomicU64::new(0);
        pool.run(2, &|_| {
            pool.run(2, &|t| {
                inner.fetch_add(1 << (8 * t), SeqCst);
            });
        });
        // Each of the two outer shares ran both inner shares itself.
        assert_eq!(inner.load(SeqCst), 2 * (1 + (1 << 8)));
    }

    #[test]
    fn a_panicking_share_reaches_the_caller_and_the_pool_still_works() {
        let pool = Pool::new(2).expect("threads");
        let caught = catch_unwind(AssertUnwindSafe(|| {
            pool.run(2, &|t| assert!(t == 0, "share 1 fails"));
        }));
        assert!(caught.is_err());
        let n = AtomicU64::new(0);
        pool.run(5, &|_| {
            n.fetch_add(1, SeqCst);
        });
        assert_eq!(n.load(SeqCst), 5);
    }
}
