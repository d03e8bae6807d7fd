//! [`Output`]: what an operation returns besides its result, and the one way
//! every builder runs (`.await`, or `.with_output().await` for the output).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use aws_sdk_dynamodb::types::ConsumedCapacity;

use crate::Item;
use crate::error::Result;

/// A boxed, sendable future.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An operation's result with what DynamoDB returned besides it: the consumed
/// capacity (when asked for), the request id, and the attributes a write
/// asked back (`return_values`). Get it with `.with_output()` on any builder.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table};
/// # use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
/// let out = users
///     .get(User::key("john"))
///     .return_consumed_capacity(ReturnConsumedCapacity::Total)
///     .with_output()
///     .await?;
/// println!("{:?} units, request {:?}", out.capacity_units(), out.request_id);
/// let user: Option<User> = out.value;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Output<V> {
    /// The result the plain `.await` returns.
    pub value: V,
    /// The capacity DynamoDB reported (one entry per table), when it was
    /// asked for with `return_consumed_capacity` (on the request or the table).
    pub consumed_capacity: Vec<ConsumedCapacity>,
    /// The id DynamoDB gave the request.
    pub request_id: Option<String>,
    /// The attributes DynamoDB returned for a write's `ReturnValues` (an
    /// update's `ALL_NEW`, `UPDATED_OLD`, ...), raw.
    pub attributes: Option<Item>,
}

impl<V> Output<V> {
    pub(crate) fn new(value: V) -> Self {
        Self {
            value,
            consumed_capacity: Vec::new(),
            request_id: None,
            attributes: None,
        }
    }

    /// The total capacity units reported, when asked for.
    pub fn capacity_units(&self) -> Option<f64> {
        if self.consumed_capacity.is_empty() {
            return None;
        }
        Some(
            self.consumed_capacity
                .iter()
                .filter_map(ConsumedCapacity::capacity_units)
                .sum(),
        )
    }

    /// The same output with another value.
    pub fn map<W>(self, f: impl FnOnce(V) -> W) -> Output<W> {
        Output {
            value: f(self.value),
            consumed_capacity: self.consumed_capacity,
            request_id: self.request_id,
            attributes: self.attributes,
        }
    }
}

/// A request builder that can run: every builder implements it, and
/// `IntoFuture` through it. Not meant to be implemented outside the crate.
#[doc(hidden)]
pub trait Executable<'a>: Sized {
    /// What `.await` returns.
    type Value: Send + 'a;

    /// Runs the request.
    fn execute(self) -> BoxFuture<'a, Result<Output<Self::Value>>>;
}

/// A builder whose `.await` returns the whole [`Output`]; see `.with_output()`.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug)]
pub struct WithOutput<'a, B>(pub(crate) B, pub(crate) std::marker::PhantomData<&'a ()>);

impl<'a, B: Executable<'a>> IntoFuture for WithOutput<'a, B> {
    type Output = Result<Output<B::Value>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.0.execute()
    }
}

/// The future of a builder's plain `.await`: its output's value.
#[must_use = "futures do nothing unless polled"]
pub struct ValueFuture<'a, V> {
    inner: BoxFuture<'a, Result<Output<V>>>,
}

impl<'a, V> ValueFuture<'a, V> {
    pub(crate) fn new(inner: BoxFuture<'a, Result<Output<V>>>) -> Self {
        Self { inner }
    }
}

impl<V> Future for ValueFuture<'_, V> {
    type Output = Result<V>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx).map(|r| r.map(|o| o.value))
    }
}

impl<V> std::fmt::Debug for ValueFuture<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValueFuture").finish_non_exhaustive()
    }
}

/// `IntoFuture` for a builder, through [`Executable`].
macro_rules! into_future {
    ($builder:ident<$lt:lifetime $(, $param:ident)*> where $($bounds:tt)*) => {
        impl<$lt $(, $param)*> ::std::future::IntoFuture for $builder<$lt $(, $param)*>
        where
            $($bounds)*
        {
            type Output = $crate::error::Result<<Self as $crate::op::output::Executable<$lt>>::Value>;
            type IntoFuture = $crate::op::output::ValueFuture<$lt, <Self as $crate::op::output::Executable<$lt>>::Value>;

            fn into_future(self) -> Self::IntoFuture {
                $crate::op::output::ValueFuture::new($crate::op::output::Executable::execute(self))
            }
        }
    };
}
pub(crate) use into_future;

/// `IntoFuture` and `.with_output()` for a builder, through [`Executable`].
macro_rules! runnable {
    ($builder:ident<$lt:lifetime $(, $param:ident)*> where $($bounds:tt)*) => {
        $crate::op::output::into_future!($builder<$lt $(, $param)*> where $($bounds)*);

        impl<$lt $(, $param)*> $builder<$lt $(, $param)*>
        where
            $($bounds)*
        {
            /// Runs the request and returns its result with what DynamoDB
            /// returned besides it ([`Output`](crate::Output): consumed capacity,
            /// request id, returned attributes).
            pub fn with_output(self) -> $crate::op::output::WithOutput<$lt, Self> {
                $crate::op::output::WithOutput(self, ::std::marker::PhantomData)
            }
        }
    };
}
pub(crate) use runnable;
