//! How batch operations resend: [`RetryPolicy`] (exponential backoff with
//! full jitter, bounded by attempts and by time), shared by batch reads and
//! batch writes. Single-item requests and reads resend through the SDK's own
//! retry strategy (configured on the client): it resends the same encoded
//! request without rebuilding it.

use std::time::Duration;

use crate::error::Error;

/// How batch reads and writes resend throttled requests, requests that got a
/// server error or no answer, and unprocessed items: exponential backoff with
/// full jitter, at most `max_attempts` sends of each request (the first
/// included) and no resend once `max_elapsed` has passed since the first send.
///
/// The `n`-th resend waits a random time between zero and
/// `min(max_delay, base_delay * 2^(n-1))`. With the defaults (10 sends,
/// 50 ms doubling up to 5 s, 20 s) a request keeps trying for about 8 s on
/// average and at most 20 s: shorter than a typical server restart. Widen it
/// with [`patient`](Self::patient) where waiting is better than handing writes back.
///
/// ```
/// use std::time::Duration;
/// use dynamo_orm::batch::RetryPolicy;
///
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_attempts, 10);
/// assert!(policy.delay(3) <= Duration::from_millis(200));
///
/// // Keep resending for up to two minutes.
/// let patient = RetryPolicy::patient(Duration::from_secs(120));
/// assert_eq!(patient.max_elapsed, Duration::from_secs(120));
///
/// let custom = RetryPolicy::new(15, Duration::from_millis(100), Duration::from_secs(20));
/// assert_eq!(custom.max_attempts, 15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Sends of one request at most, the first included (0 counts as 1).
    pub max_attempts: u32,
    /// The backoff before the first resend, doubled for each further one.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
    /// No resend starts after this much time since the request was first sent.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 10 sends, 50 ms doubling up to 5 s, at most 20 s.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// `max_attempts` sends with backoff from `base_delay` up to `max_delay`
    /// (and no time bound beyond what they add up to).
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        Self {
            max_attempts,
            base_delay,
            max_delay,
            max_elapsed: Duration::MAX,
        }
    }

    /// Keeps resending (backoff up to 5 s) until `patience` has passed.
    pub fn patient(patience: Duration) -> Self {
        Self {
            max_attempts: u32::MAX,
            max_elapsed: patience,
            ..Self::default()
        }
    }

    /// No resend at all: one send per request.
    pub fn never() -> Self {
        Self::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// The same policy with another time bound.
    #[must_use]
    pub fn max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// The (random) wait before resend number `retry` (1 for the first resend).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use dynamo_orm::batch::RetryPolicy;
    /// let policy = RetryPolicy::new(5, Duration::from_millis(10), Duration::from_millis(50));
    /// assert!(policy.delay(1) <= Duration::from_millis(10));
    /// assert!(policy.delay(10) <= Duration::from_millis(50));
    /// ```
    pub fn delay(&self, retry: u32) -> Duration {
        backoff_delay(retry.saturating_sub(1), self.base_delay, self.max_delay)
    }

    /// Whether another send may start after `attempts` sends, `elapsed`
    /// since the first.
    pub(crate) fn allows(&self, attempts: u32, elapsed: Duration) -> bool {
        attempts < self.max_attempts.max(1) && elapsed < self.max_elapsed
    }
}

/// Exponential backoff with full jitter: a random delay in `0..=min(max, base * 2^attempt)`.
pub(crate) fn backoff_delay(attempt: u32, base: Duration, max: Duration) -> Duration {
    let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
    let cap = base.saturating_mul(factor).min(max);
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// How a failed batch request is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Throttled: resend after a backoff.
    Throttled,
    /// A server error: resend after a backoff.
    ServerError,
    /// No answer: resend after a backoff (the request may have been made).
    NoAnswer,
    /// Anything else would fail again.
    Never,
}

/// The one decision of what to resend, from the classified error.
pub(crate) fn retry_kind(err: &Error) -> Retry {
    match err {
        Error::Throttled(_) => Retry::Throttled,
        Error::Transport(_) => Retry::NoAnswer,
        Error::Service(e) if e.is_server_error() => Retry::ServerError,
        _ => Retry::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(40));
        for retry in 1..40 {
            let cap = Duration::from_millis(10)
                .saturating_mul(1 << (retry - 1).min(20))
                .min(Duration::from_millis(40));
            assert!(policy.delay(retry) <= cap);
        }
    }

    #[test]
    fn attempts_and_time_both_bound_resends() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(9, Duration::from_secs(1)));
        assert!(!policy.allows(10, Duration::from_secs(1)));
        assert!(!policy.allows(1, Duration::from_secs(20)));
        assert!(!RetryPolicy::never().allows(1, Duration::ZERO));
        assert!(
            RetryPolicy::patient(Duration::from_secs(60)).allows(1000, Duration::from_secs(59))
        );
    }
}
