//! What DynamoDB answered when it refused a request ([`ServiceError`]), and
//! why no answer came ([`TransportError`]).

use std::fmt;

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error DynamoDB answered with: its code, message, request id and HTTP
/// status, and the SDK's error as the source.
///
/// ```
/// use dynamo_orm::error::ServiceError;
/// let err = ServiceError::new("ValidationException", Some("bad key".into()), Some("req-1".into()), Some(400));
/// assert_eq!(err.code(), "ValidationException");
/// assert_eq!(err.request_id(), Some("req-1"));
/// assert_eq!(err.to_string(), "ValidationException: bad key");
/// ```
#[derive(Debug)]
pub struct ServiceError {
    code: String,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
    source: Option<Source>,
}

impl ServiceError {
    /// An error with DynamoDB's code, message, request id and HTTP status.
    pub fn new(
        code: impl Into<String>,
        message: Option<String>,
        request_id: Option<String>,
        status: Option<u16>,
    ) -> Self {
        Self {
            code: code.into(),
            message,
            request_id,
            status,
            source: None,
        }
    }

    /// The same error with the SDK's error as its source.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// DynamoDB's error code (`ValidationException`, `ThrottlingException`, ...).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// DynamoDB's message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id of the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether DynamoDB had a failure of its own (HTTP 5xx, `InternalServerError`).
    ///
    /// ```
    /// use dynamo_orm::error::ServiceError;
    /// assert!(ServiceError::new("InternalServerError", None, None, Some(500)).is_server_error());
    /// assert!(!ServiceError::new("ValidationException", None, None, Some(400)).is_server_error());
    /// ```
    pub fn is_server_error(&self) -> bool {
        self.status.is_some_and(|s| s >= 500)
            || matches!(
                self.code.as_str(),
                "InternalServerError" | "ServiceUnavailable" | "InternalFailure"
            )
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Why no usable answer came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request or its answer took too long.
    Timeout,
    /// The request could not be sent, or the connection broke.
    Connection,
    /// An answer came but could not be read.
    Response,
}

/// No usable answer came back from DynamoDB. A write that ended this way may
/// or may not have been made.
///
/// ```
/// use dynamo_orm::error::{TransportError, TransportErrorKind};
/// let err = TransportError::new(TransportErrorKind::Timeout, std::io::Error::other("slow"));
/// assert_eq!(err.kind(), TransportErrorKind::Timeout);
/// ```
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Source,
}

impl TransportError {
    /// An error of this kind with its cause.
    pub fn new(
        kind: TransportErrorKind,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            source: Box::new(source),
        }
    }

    pub(crate) fn boxed(kind: TransportErrorKind, source: Source) -> Self {
        Self { kind, source }
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Connection => "connection failed",
            TransportErrorKind::Response => "unreadable response",
        };
        write!(f, "{what}: {}", self.source)?;
        // The SDK's errors say little at the top; the cause says what happened.
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}
