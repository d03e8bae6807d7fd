//! Turning AWS SDK errors into [`Error`] variants a caller can match on.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

use crate::error::{CancellationReason, Error};

/// Maps an operation's SDK error. Service errors are matched by kind; transport
/// errors (timeouts, connection failures) keep their whole source chain in
/// [`Error::Sdk`].
pub(crate) fn map_sdk_error<E, R>(err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
    aws_sdk_dynamodb::Error: From<SdkError<E, R>>,
{
    if err.as_service_error().is_none() {
        return Error::Sdk(Box::new(err));
    }
    map_service_error(aws_sdk_dynamodb::Error::from(err))
}

fn map_service_error(err: aws_sdk_dynamodb::Error) -> Error {
    use aws_sdk_dynamodb::Error as E;
    match err {
        E::ConditionalCheckFailedException(e) => Error::ConditionFailed {
            item: e.item().map(|i| Box::new(i.clone())),
        },
        E::TransactionCanceledException(e) => Error::TransactionCanceled {
            reasons: e
                .cancellation_reasons()
                .iter()
                .enumerate()
                .map(|(index, r)| CancellationReason {
                    index,
                    code: r.code().map(str::to_owned),
                    message: r.message().map(str::to_owned),
                    item: r.item().cloned(),
                })
                .collect(),
        },
        E::ProvisionedThroughputExceededException(e) => Error::Throttled(
            e.message()
                .unwrap_or("provisioned throughput exceeded")
                .to_owned(),
        ),
        E::ThrottlingException(e) => {
            Error::Throttled(e.message().unwrap_or("throttling").to_owned())
        }
        E::RequestLimitExceeded(e) => {
            Error::Throttled(e.message().unwrap_or("request limit exceeded").to_owned())
        }
        other if other.code() == Some("ValidationException") => {
            Error::Validation(other.message().unwrap_or("validation failed").to_owned())
        }
        other => Error::Sdk(Box::new(other)),
    }
}

/// Whether an SDK error is worth resending: throttling, or a server-side fault.
pub(crate) fn is_retryable(err: &Error) -> bool {
    match err {
        Error::Throttled(_) => true,
        Error::Sdk(e) => {
            let text = e.to_string();
            text.contains("InternalServerError") || text.contains("ServiceUnavailable")
        }
        _ => false,
    }
}

/// Exponential backoff with full jitter: a random delay in `0..=min(max, base * 2^attempt)`.
pub(crate) fn backoff_delay(
    attempt: u32,
    base: std::time::Duration,
    max: std::time::Duration,
) -> std::time::Duration {
    let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
    let cap = base.saturating_mul(factor).min(max);
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    std::time::Duration::from_nanos(fastrand::u64(0..=nanos))
}
