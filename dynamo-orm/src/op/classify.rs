//! The one classifier: an SDK error becomes an [`Error`] by its typed error
//! code, never by its text.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::RequestId;

use crate::error::{CancellationReason, Error, ServiceError, TransportError, TransportErrorKind};

/// Turns an SDK error of any operation into the crate's error. `table` names
/// the request's table, for [`Error::TableNotFound`].
pub(crate) fn classify<E>(err: SdkError<E, HttpResponse>, table: Option<&str>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    aws_sdk_dynamodb::Error: From<E>,
{
    let (kind, err) = match err {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let request_id = context.raw().request_id().map(str::to_owned);
            let err = context.into_err();
            return service_error(
                aws_sdk_dynamodb::Error::from(err),
                status,
                request_id,
                table,
            );
        }
        SdkError::ConstructionFailure(_) => {
            // A required field is missing: a bug of ours or a customization's.
            return Error::Validation(format!(
                "the request could not be built: {}",
                source_text(&err)
            ));
        }
        SdkError::TimeoutError(_) => (TransportErrorKind::Timeout, err),
        SdkError::DispatchFailure(ref failure) if failure.is_timeout() => {
            (TransportErrorKind::Timeout, err)
        }
        SdkError::DispatchFailure(_) => (TransportErrorKind::Connection, err),
        SdkError::ResponseError(_) => (TransportErrorKind::Response, err),
        other => (TransportErrorKind::Connection, other),
    };
    Error::Transport(TransportError::boxed(kind, Box::new(err)))
}

fn source_text(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn service_error(
    err: aws_sdk_dynamodb::Error,
    status: u16,
    request_id: Option<String>,
    table: Option<&str>,
) -> Error {
    use aws_sdk_dynamodb::Error as E;
    // The code DynamoDB sent; for a modelled error without one (never the
    // case on the wire), the error's own name.
    let described = |err: &E| {
        let code = err.code().unwrap_or(match err {
            E::ProvisionedThroughputExceededException(_) => {
                "ProvisionedThroughputExceededException"
            }
            E::ThrottlingException(_) => "ThrottlingException",
            E::RequestLimitExceeded(_) => "RequestLimitExceeded",
            E::ResourceNotFoundException(_) => "ResourceNotFoundException",
            E::IndexNotFoundException(_) => "IndexNotFoundException",
            E::ResourceInUseException(_) => "ResourceInUseException",
            E::InternalServerError(_) => "InternalServerError",
            _ => "Unknown",
        });
        ServiceError::new(
            code,
            err.message().map(str::to_owned),
            request_id.clone(),
            Some(status),
        )
    };
    match err {
        E::ConditionalCheckFailedException(e) => Error::ConditionFailed {
            item: e.item.map(Box::new),
        },
        E::TransactionCanceledException(e) => Error::TransactionCanceled {
            reasons: e
                .cancellation_reasons
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(index, r)| {
                    CancellationReason::new(
                        index,
                        r.code,
                        r.message,
                        r.item.filter(|i| !i.is_empty()),
                    )
                })
                .collect(),
        },
        e @ (E::ProvisionedThroughputExceededException(_)
        | E::ThrottlingException(_)
        | E::RequestLimitExceeded(_)) => {
            let described = described(&e);
            Error::Throttled(described.with_source(e))
        }
        e @ (E::ResourceNotFoundException(_) | E::IndexNotFoundException(_)) => {
            let described = described(&e);
            Error::TableNotFound {
                table: table.map(str::to_owned),
                error: described.with_source(e),
            }
        }
        e @ E::ResourceInUseException(_) => {
            let described = described(&e);
            Error::ResourceInUse(described.with_source(e))
        }
        e => {
            let described = described(&e);
            // Throttling codes the model does not list (older or other
            // implementations of the API) are still throttling.
            if matches!(
                described.code(),
                "Throttling" | "ThrottlingException" | "TooManyRequestsException"
            ) {
                return Error::Throttled(described.with_source(e));
            }
            Error::Service(described.with_source(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::operation::put_item::PutItemError;
    use aws_sdk_dynamodb::types::error::{
        ConditionalCheckFailedException, ProvisionedThroughputExceededException,
        ResourceNotFoundException,
    };
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn response(status: u16) -> HttpResponse {
        let mut response = Response::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        response.headers_mut().insert("x-amzn-requestid", "REQ123");
        response
    }

    fn service(err: PutItemError, status: u16) -> Error {
        classify(
            SdkError::service_error(err, response(status)),
            Some("users"),
        )
    }

    #[test]
    fn typed_codes() {
        let throttled = service(
            PutItemError::ProvisionedThroughputExceededException(
                ProvisionedThroughputExceededException::builder()
                    .message("slow down")
                    .build(),
            ),
            400,
        );
        assert!(
            matches!(&throttled, Error::Throttled(e) if e.code() == "ProvisionedThroughputExceededException")
        );
        assert_eq!(throttled.request_id(), Some("REQ123"));
        assert!(throttled.is_retryable());

        let missing = service(
            PutItemError::ResourceNotFoundException(ResourceNotFoundException::builder().build()),
            400,
        );
        assert!(matches!(&missing, Error::TableNotFound { table: Some(t), .. } if t == "users"));
        assert!(!missing.is_retryable());

        let failed = service(
            PutItemError::ConditionalCheckFailedException(
                ConditionalCheckFailedException::builder().build(),
            ),
            400,
        );
        assert!(matches!(failed, Error::ConditionFailed { item: None }));
    }

    #[test]
    fn unmodelled_codes_by_metadata_not_text() {
        let validation = PutItemError::generic(
            ErrorMetadata::builder()
                .code("ValidationException")
                .message("One or more parameter values were invalid: Throttling")
                .build(),
        );
        let err = service(validation, 400);
        assert!(matches!(&err, Error::Service(e) if e.code() == "ValidationException"));
        assert!(
            !err.is_retryable(),
            "the word in the message must not matter"
        );

        let internal =
            PutItemError::generic(ErrorMetadata::builder().code("InternalServerError").build());
        assert!(service(internal, 500).is_retryable());

        let throttling =
            PutItemError::generic(ErrorMetadata::builder().code("ThrottlingException").build());
        assert!(matches!(service(throttling, 400), Error::Throttled(_)));
    }
}
